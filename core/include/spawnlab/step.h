// SPDX-License-Identifier: GPL-3.0-or-later
// The child's setup steps: shared by the child (which records them with no
// allocation) and everything that reports them, so it includes nothing heavy.
#pragma once

#include <cstdint>

namespace spawnlab {

// The child's setup steps, in the order it runs them. Values are stable: they
// travel through the error pipe and the shared trace buffer.
enum class Step : std::uint16_t {
    Signals = 1, // reset handlers, default/ignore dispositions
    Setsid,
    Setpgid,
    Chdir,
    Umask,
    Open,
    Dup2,
    Close,
    Inherit, // clear CLOEXEC on a kept fd (dup onto itself, pass_fds)
    CloseFds,
    Stop, // a stop point for inspection
    Rlimit,
    Setgroups,
    Setgid,
    Setuid,
    Sigmask,
    Execve,
    PosixSpawn, // glibc ran the steps; it does not say which one failed
    Spawn,      // the parent's fork/vfork/clone itself failed
    Seccomp,    // leak hunt: wait until the tracer seized us, then install its filter
};

} // namespace spawnlab
