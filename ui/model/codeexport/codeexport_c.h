// SPDX-License-Identifier: GPL-3.0-or-later
// The C exporter's parts: the program being assembled, the literals, and the
// environment and main() (codeexport_c_program.cpp).
#pragma once

#include "codeexport/codeexport_common.h"

namespace spawnlab::codeexport {

struct CProgram {
    QStringList notes;                       // the header's comments
    Code actions{QStringLiteral("// ")};     // file actions, in the order glibc runs them
    Code attributes{QStringLiteral("// ")};  // signal sets, group, flags
    Code environment{QStringLiteral("// ")}; // makes `envp`
    QStringList helpers;                     // functions before main()
    Code aroundSpawn{QStringLiteral("// ")}; // just before posix_spawn
    Code restore{QStringLiteral("// ")};     // just after it
    Code afterSpawn{QStringLiteral("// ")};  // the parent closes its copies of child fds
    QStringList pipes;                       // struct pipe_end initialisers
    QList<int> captured;                     // indexes into `pipes` of the pipe_outs
    bool copiesAway = false;                 // copy_away() and plan_fds[] are needed
    std::vector<int> named;                  // every fd the plan names
};

QString cString(const std::string &s); // "..." with C escapes
QString cSignal(int sig);              // SIGHUP, SIGRTMIN + 3
QString cFlags(int flags);             // O_WRONLY | O_CREAT

void addEnvironment(const SpawnPlan &plan, CProgram &p);
QString assembleC(const SpawnPlan &plan, const CProgram &p);

} // namespace spawnlab::codeexport
