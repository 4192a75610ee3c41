// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli started as a hostile user would start it: stdout on any file
// (/dev/full) or closed, in a process group of its own if asked; waited for
// through a pidfd with a deadline (no sleeps), and killed by pid however the
// test ends. Output goes to files, so nothing hangs on a full pipe.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <sys/types.h>

#include <functional>
#include <vector>

struct CliProcess {
    pid_t pid = -1;
    int pidfd = -1;
    // The signal mask it starts with (exactly these), and signals it starts
    // with ignored (as nohup does).
    std::vector<int> blocked, ignored;

    CliProcess() = default;
    CliProcess(const CliProcess &) = delete;
    CliProcess &operator=(const CliProcess &) = delete;
    ~CliProcess(); // SIGKILL and reap, if it still runs

    // stdoutPath empty: stdout closed. newGroup: setpgid(0, 0) first.
    bool start(const QString &program, const QStringList &args, const QString &stdoutPath,
               const QString &stderrPath, bool newGroup = false);
    // The wait status, or -1 if it did not exit within timeoutMs.
    int wait(int timeoutMs);
};

// Checks `done` every millisecond until it holds or timeoutMs pass: only for
// what the kernel gives no event for (another process's group stop).
bool pollUntil(const std::function<bool()> &done, int timeoutMs = 20000);

// Waits (inotify on its directory) until `path` exists, or timeoutMs pass: a
// child creates such a marker to say it got somewhere.
bool waitForFile(const QString &path, int timeoutMs = 20000);

// The children of `pid` (every thread's /proc/PID/task/TID/children).
std::vector<pid_t> childrenOf(pid_t pid);

// /proc/PID exists (a zombie counts: it is not reaped yet).
bool processExists(pid_t pid);

QByteArray fileContents(const QString &path);

class QProcess;

// A short-lived CLI run through QProcess (it starts nothing that outlives
// it, so pipes are safe): exit code (-1 if killed or timed out), output,
// stdout parsed when it is a JSON object.
struct Finished {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json;
};
Finished finish(QProcess &process); // waits up to 60 s, then kills
