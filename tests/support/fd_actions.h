// SPDX-License-Identifier: GPL-3.0-or-later
// Plan fd actions as the suites write them: fdAction(1, FdActionKind::Null),
// dupFrom(5, 3) (the child's fd 5 from the parent's fd 3), openAt, pipeIn.
#pragma once

#include "spawnlab/plan.h"

#include <string>

namespace spawnlab::test {

inline FdAction fdAction(int fd, FdActionKind kind)
{
    FdAction a;
    a.fd = fd;
    a.action = kind;
    return a;
}

inline FdAction dupFrom(int fd, int from)
{
    FdAction a = fdAction(fd, FdActionKind::Dup);
    a.from = from;
    return a;
}

inline FdAction openAt(int fd, const std::string &path, int flags, mode_t mode = 0644)
{
    FdAction a = fdAction(fd, FdActionKind::Open);
    a.path = path;
    a.flags = flags;
    a.mode = mode;
    return a;
}

inline FdAction pipeIn(int fd, const std::string &input)
{
    FdAction a = fdAction(fd, FdActionKind::PipeIn);
    a.input = input;
    return a;
}

} // namespace spawnlab::test
