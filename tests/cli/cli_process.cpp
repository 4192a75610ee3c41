// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli_process.h"

#include "spawnlab/pidfd.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

CliProcess::~CliProcess()
{
    if (pid > 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
    if (pidfd >= 0) ::close(pidfd);
}

bool CliProcess::start(const QString &program, const QStringList &args, const QString &stdoutPath,
                       const QString &stderrPath, bool newGroup)
{
    // Everything the child needs is made before fork: after it, in a threaded
    // test, only async-signal-safe calls.
    std::vector<std::string> words{program.toStdString()};
    for (const QString &a : args)
        words.push_back(a.toStdString());
    std::vector<char *> argv;
    for (std::string &w : words)
        argv.push_back(w.data());
    argv.push_back(nullptr);
    const std::string out = stdoutPath.toStdString(), err = stderrPath.toStdString();
    sigset_t mask;
    sigemptyset(&mask);
    for (int sig : blocked)
        sigaddset(&mask, sig);
    struct sigaction ignore {
    };
    ignore.sa_handler = SIG_IGN;

    pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
        if (newGroup) ::setpgid(0, 0);
        ::sigprocmask(SIG_SETMASK, &mask, nullptr);
        for (int sig : ignored)
            ::sigaction(sig, &ignore, nullptr);
        const int in = ::open("/dev/null", O_RDONLY);
        if (in < 0 || ::dup2(in, 0) < 0) ::_exit(120);
        const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (e < 0 || ::dup2(e, 2) < 0) ::_exit(121);
        if (out.empty()) {
            ::close(1);
        } else {
            const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (o < 0 || ::dup2(o, 1) < 0) ::_exit(122);
        }
        for (int fd = 3; fd < 64; ++fd)
            ::close(fd);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    pidfd = ::pidfd_open(pid, 0);
    return pidfd >= 0;
}

int CliProcess::wait(int timeoutMs)
{
    pollfd p{pidfd, POLLIN, 0};
    int ready;
    while ((ready = ::poll(&p, 1, timeoutMs)) < 0 && errno == EINTR) {
    }
    if (ready != 1) return -1;
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) return -1;
    pid = -1;
    return status;
}

bool pollUntil(const std::function<bool()> &done, int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

std::vector<pid_t> childrenOf(pid_t pid)
{
    std::vector<pid_t> children;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        for (const QByteArray &word : fileContents(tasks.filePath(tid + "/children")).split(' '))
            if (const int child = word.trimmed().toInt(); child > 0) children.push_back(child);
    }
    return children;
}

bool waitForFile(const QString &path, int timeoutMs)
{
    const QFileInfo info(path);
    const int watch = ::inotify_init1(IN_CLOEXEC);
    if (watch < 0) return false;
    const bool watching = ::inotify_add_watch(watch, QFile::encodeName(info.path()).constData(),
                                              IN_CREATE | IN_MOVED_TO) >= 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    // Checked after the watch is set, so a file made meanwhile is not missed.
    while (watching && !QFile::exists(path)) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{watch, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, int(left.count())) == 0) break;
        char events[4096];
        (void)!::read(watch, events, sizeof events);
    }
    ::close(watch);
    return QFile::exists(path);
}

bool processExists(pid_t pid)
{
    struct stat st {
    };
    return ::stat(("/proc/" + std::to_string(pid)).c_str(), &st) == 0;
}

QByteArray fileContents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

Finished finish(QProcess &process)
{
    Finished f;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        f.err = "timed out";
        return f;
    }
    f.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    f.out = process.readAllStandardOutput();
    f.err = process.readAllStandardError();
    f.json = QJsonDocument::fromJson(f.out).object();
    return f;
}
