// SPDX-License-Identifier: GPL-3.0-or-later
// Which system calls the leak hunter stops on. One table drives both the
// seccomp filter of a launched program and the choice among syscall stops of
// an attached one.
#pragma once

#include <linux/audit.h>
#include <linux/filter.h>

#include <cstdint>
#include <vector>

namespace spawnlab::detail {

// The one ABI traced: this build's (a call through another, such as i386 on
// x86-64, runs untraced).
#if defined(__x86_64__)
constexpr unsigned kTracedArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kTracedArch = AUDIT_ARCH_AARCH64;
#else
#error "the leak hunter knows the syscall numbers of x86-64 and aarch64 only"
#endif

struct SeccompFilter {
    std::vector<sock_filter> code;
    sock_fprog program{}; // points into `code`: keep the object where it is
};

// SECCOMP_RET_TRACE for the calls that can give a process an fd that crosses
// an exec: those that make one without asking for close-on-exec, copy one
// (dup*, F_DUPFD) or clear or set the flag (F_SETFD, FIONCLEX, FIOCLEX). A call
// that makes a close-on-exec fd, close and exec run untraced: the exec event
// and the tables read at each exec cover them. The program matches this
// build's architecture only (a call through another ABI runs untraced).
void buildSeccompFilter(SeccompFilter &out);

// For syscall stops (attach): whether the tracer records the call. Here every
// fd call counts, close-on-exec ones and close too: the stop happens anyway.
bool tracedSyscall(long nr, std::uint64_t cmd);

} // namespace spawnlab::detail
