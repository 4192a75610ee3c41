// The leak hunter's seccomp filter: SECCOMP_RET_TRACE for the calls that make,
// duplicate, flag or close fds, and for exec; every other call runs untraced.
#pragma once

#include <linux/filter.h>

#include <vector>

namespace spawnlab::detail {

struct SeccompFilter {
    std::vector<sock_filter> code;
    sock_fprog program{}; // points into `code`: keep the object where it is
};

// Fills `out`; the program matches this build's architecture only (a call
// through another ABI, such as i386 on x86-64, runs untraced).
void buildSeccompFilter(SeccompFilter &out);

// Whether the tracer wants syscall `nr` (with fcntl's `cmd`): the same set,
// for tracees stopped at every call (attached, or no seccomp).
bool tracedSyscall(long nr, unsigned long long cmd);

} // namespace spawnlab::detail
