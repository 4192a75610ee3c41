// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/leakyfds.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace spawnlab {

bool LeakyFds::open(const QString &logPath, QString *error)
{
    if (isOpen()) return true;
    int pipeFds[2];
    // Deliberately no O_CLOEXEC: these are the leak.
    if (pipe(pipeFds) != 0) {
        if (error) *error = QString::fromLocal8Bit(strerror(errno));
        return false;
    }
    const int log =
        ::open(QFile::encodeName(logPath).constData(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (log < 0) {
        if (error)
            *error = logPath + QStringLiteral(": ") + QString::fromLocal8Bit(strerror(errno));
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        return false;
    }
    m_fds = {pipeFds[0], pipeFds[1], log};
    return true;
}

void LeakyFds::close()
{
    for (int fd : m_fds)
        ::close(fd);
    m_fds.clear();
}

} // namespace spawnlab
