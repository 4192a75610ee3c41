// SPDX-License-Identifier: GPL-3.0-or-later
// The shell exporter's parts: the script being assembled, quoting, and the
// wrappers and command line (codeexport_shell_command.cpp).
#pragma once

#include "codeexport/codeexport_common.h"

namespace spawnlab::codeexport {

struct ShellScript {
    QStringList notes; // the header's comments
    Code setup{QStringLiteral("# ")};
    QStringList wrappers;
    QStringList redirects;
    QStringList closes; // the script's own fds, closed last in the command
    int captureFd = -1; // the pipe_out that $(...) captures
    int feedFd = -1;    // the pipe_in that printf feeds through a pipeline
    QString feed;       // "printf '%s' TEXT | "
};

QString sh(const std::string &s); // a bash word: bare when safe, else single-quoted
QString shSignals(const std::vector<int> &signals, const QString &separator); // "HUP,INT"

// timeout, setsid, prlimit, setpriv and env, in the order the core does their steps.
void addShellWrappers(const SpawnPlan &plan, ShellScript &s);
QString shellCommandLine(const SpawnPlan &plan, ShellScript &s);

} // namespace spawnlab::codeexport
