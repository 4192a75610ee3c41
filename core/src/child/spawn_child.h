// SPDX-License-Identifier: GPL-3.0-or-later
// The system call that creates the child: fork, vfork or clone(CLONE_VM|CLONE_VFORK).
#pragma once

#include "child/child_program.h"

#include "spawnlab/plan.h"

#include <sys/types.h>

namespace spawnlab::detail {

struct Spawned {
    pid_t pid = -1;
    int err = 0; // errno of the failed fork/vfork/clone
};

// Blocks every signal around the call so no handler runs in the child before
// it resets them; the child sets its own mask just before execve. For vfork and
// clone_vm this returns once the child has exec'd or exited.
Spawned spawnChild(ChildProgram &program, Strategy strategy);

} // namespace spawnlab::detail
