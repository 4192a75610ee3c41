// SPDX-License-Identifier: GPL-3.0-or-later
#include "explain/leakfix.h"

#include "qs.h"

#include <QObject>
#include <QStringList>

namespace spawnlab {
namespace {

// The flag the making call should have had, as C code writes it.
QString cFix(const FdOrigin &o)
{
    const QString call = qs(o.syscall);
    if (call.startsWith(QLatin1String("open")) || call == u"creat")
        return QObject::tr("add O_CLOEXEC to the flags of %1().").arg(call);
    if (call.startsWith(QLatin1String("pipe")))
        return QObject::tr("make it with pipe2(fds, O_CLOEXEC) instead of pipe().");
    if (call.startsWith(QLatin1String("socket")))
        return QObject::tr("add SOCK_CLOEXEC to the type of %1() (SOCK_STREAM | SOCK_CLOEXEC).")
            .arg(call);
    if (call.startsWith(QLatin1String("accept")))
        return QObject::tr("accept with accept4(fd, addr, len, SOCK_CLOEXEC).");
    if (call.startsWith(QLatin1String("dup")) || call == u"fcntl")
        return QObject::tr("copy it with dup3(old, new, O_CLOEXEC) or fcntl(fd, "
                           "F_DUPFD_CLOEXEC, 0): dup and dup2 drop the flag.");
    return QObject::tr("pass its *_CLOEXEC flag to %1().").arg(call);
}

QString languageFix(const FdOrigin &o)
{
    const QString program = qsBaseName(o.exe);
    if (program.startsWith(QLatin1String("python")))
        return QObject::tr("Python makes every fd close-on-exec since 3.4 (PEP 446), so this one "
                           "was made inheritable on purpose (os.set_inheritable, "
                           "socket.set_inheritable) or by a C extension. To hand an fd to one "
                           "child, give it in subprocess's pass_fds= and keep close_fds=True; "
                           "do not make it inheritable for the whole process.");
    if (program == u"sh" || program == u"dash" || program == u"bash" || program == u"zsh")
        return QObject::tr("In a shell, `exec 3>file` keeps fd 3 open for every command that "
                           "follows, and background jobs (cmd &) keep what the shell held. "
                           "Close it for the commands that must not get it: cmd 3>&-.");
    if (program == u"node" || program == u"nodejs")
        return QObject::tr("Node makes its fds close-on-exec; an fd passed in `stdio` of "
                           "child_process.spawn is handed over on purpose, and that child's own "
                           "children get it too unless it closes it.");
    return QObject::tr("In C or C++: %1 Setting FD_CLOEXEC later with fcntl is racy: another "
                       "thread may fork in between (Go serialises this with syscall.ForkLock; "
                       "C has no such lock).")
        .arg(cFix(o));
}

} // namespace

QString explainFinding(const TraceReport &report, const LeakFinding &finding)
{
    const TracedExec &exec = report.execs.at(finding.execIndex);
    const InheritedFd *in = nullptr;
    for (const InheritedFd &candidate : exec.inherited)
        if (candidate.fd == finding.fd) in = &candidate;
    QStringList parts{qs(finding.message)};
    if (!in) return parts.join(QStringLiteral("\n\n"));
    parts << QObject::tr("Why it crossed: %1.").arg(qs(in->why));
    if (in->origin && in->origin->known) {
        parts << QObject::tr("Fix where it was made (pid %1, %2): %3")
                     .arg(in->origin->pid)
                     .arg(qsBaseName(in->origin->exe), languageFix(*in->origin));
    } else {
        parts << QObject::tr("Its origin is unknown, so fix it where the child is started.");
    }
    parts << QObject::tr("Or fix it where the child is started: close what the child must not "
                         "have before exec (close_range(3, ~0U, 0) after the dup2s; "
                         "posix_spawn_file_actions_addclosefrom_np in glibc 2.34+; "
                         "subprocess's close_fds=True; Go's os/exec passes only ExtraFiles).");
    return parts.join(QStringLiteral("\n\n"));
}

} // namespace spawnlab
