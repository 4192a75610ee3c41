// SPDX-License-Identifier: GPL-3.0-or-later
// The Rust exporter's parts: the program being assembled, the literals, and
// main() (codeexport_rust_program.cpp).
#pragma once

#include "codeexport/codeexport_common.h"

#include <set>

namespace spawnlab::codeexport {

struct RustProgram {
    QStringList notes;                      // the header's comments
    std::set<QString> uses;                 // `use` paths
    std::set<QString> sys;                  // libc items the sys module declares
    QStringList helpers;                    // functions before main()
    Code setup{QStringLiteral("// ")};      // in main(), before the Command
    Code command{QStringLiteral("// ")};    // calls on `command`
    QStringList preExec;                    // statements of the pre_exec closure
    Code afterSpawn{QStringLiteral("// ")}; // right after spawn()
    QStringList joins;                      // threads to join after the child is done
    QString stdinInput;                     // bytes for a piped stdin, written by a thread
    QMap<int, QString> captured;            // child fd -> expression of its bytes
    bool copiesAway = false;                // PLAN_FDS and move_away()
    bool usesParentFd = false;              // parent_fd()
    bool readsPipes = false;                // read_all()
    bool writesPipes = false;               // write_all()
    bool dropsCommand = false;              // Command holds child pipe ends until dropped
    std::vector<int> named;                 // every fd the plan names
};

// "text", or an OsStr of bytes (then `uses` gets what that needs)
QString rustString(const std::string &s, std::set<QString> &uses);
QString rustBytes(const std::string &s); // b"..."
QString rustSignal(int sig);             // 10 /* SIGUSR1 */

// Stdio, and the pre_exec statements that put fds >= 3 at their numbers.
void addRustFds(const SpawnPlan &plan, RustProgram &p);
QString assembleRust(const SpawnPlan &plan, const RustProgram &p);

} // namespace spawnlab::codeexport
