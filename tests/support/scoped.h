// SPDX-License-Identifier: GPL-3.0-or-later
// What a test opens or starts, undone however it ends: an fd that closes, a
// pipe whose ends close, a forked child that is killed and reaped.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace spawnlab::test {

struct Fd {
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd() { reset(); }
    void reset()
    {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

struct Pipe {
    Fd read, write;
    explicit Pipe(int flags)
    {
        int p[2];
        if (::pipe2(p, flags) == 0) read.fd = p[0], write.fd = p[1];
    }
};

struct ChildGuard {
    pid_t pid = -1;
    ~ChildGuard()
    {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

} // namespace spawnlab::test
