// SPDX-License-Identifier: GPL-3.0-or-later
// Inheritable fds that spawnlab opens in itself on request, the way a careless
// library would (no O_CLOEXEC): a pipe and a log file. A GUI process has few
// fds of its own and Qt opens them CLOEXEC, so without these the fd-leak
// example would have nothing to show.
#pragma once

#include <QList>
#include <QString>

namespace spawnlab {

class LeakyFds
{
public:
    LeakyFds() = default;
    ~LeakyFds() { close(); }
    LeakyFds(const LeakyFds &) = delete;
    LeakyFds &operator=(const LeakyFds &) = delete;

    // Opens the pipe and `logPath` (created if missing); false with `error` set on failure.
    bool open(const QString &logPath, QString *error = nullptr);
    void close();
    bool isOpen() const { return !m_fds.isEmpty(); }
    QList<int> fds() const { return m_fds; }

private:
    QList<int> m_fds;
};

} // namespace spawnlab
