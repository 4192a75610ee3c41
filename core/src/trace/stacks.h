// SPDX-License-Identifier: GPL-3.0-or-later
// trace --stacks: the user stack of a stopped tracee thread, unwound with
// elfutils' libdwfl (one Dwfl per process, made again after its exec).
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

struct Dwfl;

namespace spawnlab::detail {

class StackUnwinder
{
public:
    StackUnwinder();
    ~StackUnwinder();
    StackUnwinder(const StackUnwinder &) = delete;
    StackUnwinder &operator=(const StackUnwinder &) = delete;

    // Innermost frame first: "pipe2 (libc.so.6)", "make_pipe (leak.c:12)".
    // `tid` must be in a ptrace stop. Empty, with `lastError` set, on failure.
    std::vector<std::string> stackOf(pid_t pid, pid_t tid);
    // The process exec'd or ended: its modules are gone.
    void forget(pid_t pid);

    std::string lastError;

private:
    struct Deleter {
        void operator()(Dwfl *dwfl) const;
    };
    Dwfl *sessionFor(pid_t pid);

    std::map<pid_t, std::unique_ptr<Dwfl, Deleter>> m_sessions;
};

} // namespace spawnlab::detail
