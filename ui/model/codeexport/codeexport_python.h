// SPDX-License-Identifier: GPL-3.0-or-later
// The Python exporter's parts: the script being assembled, the literals, and
// the fd arrangement (codeexport_python_fds.cpp).
#pragma once

#include "codeexport/codeexport_common.h"

#include <QMap>

#include <set>

namespace spawnlab::codeexport {

struct PythonScript {
    std::set<QString> imports{QStringLiteral("os"), QStringLiteral("subprocess"),
                              QStringLiteral("sys")};
    QStringList notes;                // the header's comments
    QStringList helpers;              // top-level blocks (constants, functions)
    Code setup{QStringLiteral("# ")}; // statements before Popen
    QStringList kwargs;               // Popen(argv, <kwargs>)
    QStringList preexec;              // statements preexec_fn runs in the child
    Code after{QStringLiteral("# ")}; // right after Popen returns
    QStringList submits;              // pool.submit(...) for pipes the script serves itself
    QMap<int, QString> captured;      // child fd -> the expression holding its output
    QString input;                    // communicate(input=...)
    bool stdioPipes = false;          // stdin, stdout or stderr is subprocess.PIPE
    bool threadPool = false;          // the script serves some pipe ends itself
};

QString pyString(const std::string &s); // 'text', or b'...' when it is not UTF-8
QString pyBytes(const std::string &s);  // always b'...'
QString pySignal(int sig);              // signal.SIGHUP, signal.SIGRTMIN + 3

// stdin/stdout/stderr, pass_fds and close_fds, and the statements that put
// fds >= 3 at their numbers.
void addPythonFds(const SpawnPlan &plan, PythonScript &s);

} // namespace spawnlab::codeexport
