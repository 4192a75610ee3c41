// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper_copies.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QSet>
#include <QTemporaryDir>

#include <sys/stat.h>
#include <sys/statvfs.h>

namespace spawnlab::test {
namespace {

constexpr auto kMode = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                       QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser |
                       QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
                       QFileDevice::ExeOther; // 0755

QString buildTreeHelper(const QString &name)
{
    return QStringLiteral(SPAWNLAB_TEST_HELPER_DIR "/") + name;
}

// Every directory from `dir` up to / lets others search it, and the file
// system lets programs run from it.
bool reachableByAll(const QString &dir)
{
    struct statvfs fs {
    };
    QString path = QFileInfo(dir).canonicalFilePath();
    if (path.isEmpty() || statvfs(qPrintable(path), &fs) != 0 || (fs.f_flag & ST_NOEXEC))
        return false;
    for (;;) {
        struct stat st {
        };
        if (stat(qPrintable(path), &st) != 0 || !(st.st_mode & S_IXOTH)) return false;
        if (path == QLatin1String("/")) return true;
        path = QFileInfo(path).path();
    }
}

class HelperCopies
{
public:
    HelperCopies() : m_dir(reachableTempPath() + QStringLiteral("/spawnlab-helpers-XXXXXX"))
    {
        if (!m_dir.isValid()) qFatal("cannot make a directory for the test helpers");
        if (!QFile::setPermissions(m_dir.path(), kMode))
            qFatal("cannot make %s reachable", qPrintable(m_dir.path()));
        // Copied now, before this process spawns: a child forked while a copy
        // is open for writing would make its exec fail with ETXTBSY.
        for (const char *name : {"spawnlab-probe", "spawnlab-try-setuid"})
            copy(QString::fromLatin1(name));
        redirectPreload();
    }

    QString path(const QString &name)
    {
        QMutexLocker locker(&m_lock);
        if (!m_copied.contains(name)) copy(name);
        return m_dir.filePath(name);
    }

private:
    void copy(const QString &name)
    {
        const QString from = buildTreeHelper(name), to = m_dir.filePath(name);
        if (!QFile::exists(from)) return; // not built: its exec fails, naming the copy
        if (!QFile::copy(from, to) || !QFile::setPermissions(to, kMode))
            qFatal("cannot copy %s to %s", qPrintable(from), qPrintable(to));
        m_copied.insert(name);
    }

    // The no-allocation suites preload the malloc guard from the build tree;
    // a helper running as nobody could not load it, so its own children would
    // go unguarded. Its children get the copy instead.
    void redirectPreload()
    {
        const QString preload = qEnvironmentVariable("LD_PRELOAD");
        if (preload.isEmpty()) return;
        QStringList entries = preload.split(QLatin1Char(':'), Qt::SkipEmptyParts);
        for (QString &entry : entries) {
            const QFileInfo file(entry);
            if (QDir::cleanPath(file.absolutePath()) !=
                QDir::cleanPath(QStringLiteral(SPAWNLAB_TEST_HELPER_DIR)))
                continue;
            copy(file.fileName());
            entry = m_dir.filePath(file.fileName());
        }
        qputenv("LD_PRELOAD", entries.join(QLatin1Char(':')).toLocal8Bit());
    }

    QTemporaryDir m_dir;
    QMutex m_lock;
    QSet<QString> m_copied;
};

} // namespace

QString reachableTempPath()
{
    for (const QString &dir : {QDir::tempPath(), QStringLiteral("/tmp"), QStringLiteral("/var/tmp"),
                               QStringLiteral("/dev/shm")})
        if (reachableByAll(dir)) return dir;
    qFatal("no temporary directory that every user can reach (tried $TMPDIR, /tmp, /var/tmp, "
           "/dev/shm)");
}

QString helperPath(const QString &name)
{
    static HelperCopies copies; // removed with the directory when the process exits
    return copies.path(name);
}

} // namespace spawnlab::test
