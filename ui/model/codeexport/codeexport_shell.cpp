// SPDX-License-Identifier: GPL-3.0-or-later
// The plan as a bash script: cd, umask and trap in the script, the fd table as
// redirections of one command, and the rest as util-linux/coreutils wrappers
// that exec the program (timeout, setsid, prlimit, setpriv, env). Redirections
// run left to right, so a source that an earlier one would replace is first
// saved in a named fd ({from_N}), as the core copies it where no action writes.
#include "codeexport/codeexport_shell.h"

#include <fcntl.h>

#include <algorithm>

namespace spawnlab::codeexport {
namespace {

// The redirection operator that opens with the plan's flags, or the nearest.
QString openRedirect(const FdAction &a, int index, ShellScript &s)
{
    const int access = a.flags & O_ACCMODE;
    QString op = QStringLiteral("<");
    int shellFlags = O_RDONLY;
    if (access == O_WRONLY && (a.flags & O_APPEND)) {
        op = QStringLiteral(">>");
        shellFlags = O_WRONLY | O_CREAT | O_APPEND;
    } else if (access == O_WRONLY) {
        op = QStringLiteral(">");
        shellFlags = O_WRONLY | O_CREAT | O_TRUNC;
    } else if (access == O_RDWR) {
        op = QStringLiteral("<>");
        shellFlags = O_RDWR | O_CREAT;
    }
    if ((a.flags & ~O_CLOEXEC) != shellFlags)
        s.notes.append(QStringLiteral("fds[%1]: a shell cannot express open flags %2: `%3` opens "
                                      "with %4.")
                           .arg(index)
                           .arg(openFlagList(a.flags & ~O_CLOEXEC).join(QLatin1Char('|')), op,
                                openFlagList(shellFlags).join(QLatin1Char('|'))));
    if ((a.flags & O_CREAT) && a.mode != 0666)
        s.notes.append(QStringLiteral("fds[%1]: a shell creates files with mode 0666 minus the "
                                      "umask; it cannot express mode %2.")
                           .arg(index)
                           .arg(qsOctal(a.mode)));
    return QString::number(a.fd) + op + sh(a.path);
}

class ShellFds
{
public:
    ShellFds(const SpawnPlan &plan, ShellScript &s) : m_plan(plan), m_s(s), m_layout(fdLayout(plan))
    {
        for (const FdAction *a : pipeOuts(plan))
            if (s.captureFd < 0 || a->fd == 1) s.captureFd = a->fd;
        for (const FdAction &a : plan.fds) {
            if (a.action == FdActionKind::PipeIn && (s.feedFd < 0 || a.fd == 0)) {
                s.feedFd = a.fd;
                s.feed = QStringLiteral("printf '%s' ") + sh(a.input) + QStringLiteral(" | ");
            }
        }
    }

    void arrange()
    {
        movePipes();
        // The core's moves in its order. A copied-away source is saved when
        // a redirection first reads it (parent()); pass_fds need nothing, as
        // bash passes every fd it does not close.
        for (const FdMove &m : m_layout.moves)
            if (m.kind != FdMoveKind::CopyAway && !m.passFd)
                addAction(m_plan.fds[std::size_t(m.planIndex)], m.planIndex);
        for (int fd : m_layout.closedSources)
            m_s.redirects.append(QStringLiteral("%1>&-").arg(fd));
        m_s.redirects += m_s.closes;
        if (m_plan.closeFds)
            m_s.notes.append(QStringLiteral("close_fds: bash passes on every fd it inherited "
                                            "without CLOEXEC and cannot list them, so this closes "
                                            "only the fds the plan names. Run it from a parent "
                                            "that passes nothing else."));
    }

private:
    bool targets(int fd) const
    {
        return std::any_of(m_plan.fds.begin(), m_plan.fds.end(),
                           [fd](const FdAction &a) { return a.fd == fd; });
    }

    // $(...) and the pipeline put their pipes at fd 1 and 0: move them to the
    // plan's fds (the one whose source the other would replace first; through
    // a spare fd when they swap), then give fd 1 and 0 back the script's own.
    void movePipes()
    {
        const int capture = m_s.captureFd, feed = m_s.feedFd;
        const QString moveCapture = QStringLiteral("%1>&1").arg(capture);
        const QString moveFeed = QStringLiteral("%1<&0").arg(feed);
        const bool capturing = capture >= 0 && capture != 1, feeding = feed > 0;
        if (capturing && feeding && capture == 0 && feed == 1) {
            const QString spare = QString::number(m_layout.spare);
            m_s.redirects += {spare + QStringLiteral(">&1"), QStringLiteral("1<&0"),
                              QStringLiteral("0>&") + spare, spare + QStringLiteral(">&-")};
        } else if (capturing && feeding && capture == 0) {
            m_s.redirects += {moveFeed, moveCapture};
        } else {
            if (capturing) m_s.redirects.append(moveCapture);
            if (feeding) m_s.redirects.append(moveFeed);
        }
        if (capturing && !targets(1)) m_s.redirects.append(QStringLiteral("1>&") + parent(1));
        if (feeding && !targets(0)) m_s.redirects.append(QStringLiteral("0<&") + parent(0));
    }

    // How the command's redirections reach this script's fd `fd`.
    QString parent(int fd)
    {
        if (fd == 1 && m_s.captureFd >= 0) return saved(QStringLiteral("stdout"), 1);
        if (fd == 0 && m_s.feedFd >= 0) return saved(QStringLiteral("stdin"), 0);
        if (m_layout.overwrites(fd)) return saved(QStringLiteral("from_%1").arg(fd), fd);
        return QString::number(fd);
    }

    QString saved(const QString &name, int fd)
    {
        if (!m_saved.contains(name)) {
            m_saved.append(name);
            m_s.setup.line(QStringLiteral("exec {%1}<&%2").arg(name).arg(fd));
            m_s.closes.append(QStringLiteral("{%1}<&-").arg(name));
        }
        return QStringLiteral("\"$%1\"").arg(name);
    }

    void addAction(const FdAction &a, int index)
    {
        const QString fd = QString::number(a.fd);
        switch (a.action) {
        case FdActionKind::Dup: {
            const QString from = parent(a.from);
            if (from != fd) m_s.redirects.append(fd + QStringLiteral(">&") + from);
            break;
        }
        case FdActionKind::Open:
            m_s.redirects.append(openRedirect(a, index, m_s));
            break;
        case FdActionKind::Close:
            m_s.redirects.append(fd + QStringLiteral(">&-"));
            break;
        case FdActionKind::Null:
            m_s.redirects.append(fd + QStringLiteral("<>/dev/null"));
            break;
        case FdActionKind::PipeOut:
            if (a.fd != m_s.captureFd) addRelayedOutput(a, index);
            break;
        case FdActionKind::PipeIn:
            if (a.fd != m_s.feedFd) addInput(a, index);
            break;
        }
    }

    // $(...) captures one stream; another pipe_out goes through cat to stderr.
    void addRelayedOutput(const FdAction &a, int index)
    {
        const QString name = QStringLiteral("out_%1").arg(a.fd);
        m_s.setup.comment(describe(a, index) + QStringLiteral(": $(...) captures only one "
                                                              "stream, so this pipe goes to cat, "
                                                              "which copies it to stderr."));
        m_s.setup.line(QStringLiteral("exec {%1}> >(cat >&2)").arg(name));
        m_s.redirects.append(QStringLiteral("%1>&\"$%2\"").arg(a.fd).arg(name));
        m_s.closes.append(QStringLiteral("{%1}>&-").arg(name));
    }

    // One pipe comes from the pipeline; another is a process substitution
    // (exactly the input: a here-string would add a newline), opened by exec
    // so that bash keeps no /dev/fd/63 of its own open in the child.
    void addInput(const FdAction &a, int index)
    {
        const QString name = QStringLiteral("in_%1").arg(a.fd);
        m_s.setup.comment(describe(a, index));
        m_s.setup.line(QStringLiteral("exec {%1}< <(printf '%s' %2)").arg(name, sh(a.input)));
        m_s.redirects.append(QStringLiteral("%1<&\"$%2\"").arg(a.fd).arg(name));
        m_s.closes.append(QStringLiteral("{%1}<&-").arg(name));
    }

    const SpawnPlan &m_plan;
    ShellScript &m_s;
    FdLayout m_layout;
    QStringList m_saved;
};

} // namespace

QString sh(const std::string &s)
{
    const QString text = qs(s);
    static const QString safe = QStringLiteral("@%+:,./-_");
    bool plain = !text.isEmpty();
    for (QChar c : text)
        plain = plain && ((c.isLetterOrNumber() && c.unicode() < 0x80) || safe.contains(c));
    if (plain) return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString shSignals(const std::vector<int> &signals, const QString &separator)
{
    QStringList names;
    for (int sig : signals)
        names.append(signalText(sig).mid(3)); // "HUP": what trap, env and kill take
    return names.join(separator);
}

QString exportShell(const SpawnPlan &plan)
{
    ShellScript s;
    if (!plan.cwd.empty()) s.setup.line(QStringLiteral("cd -- %1 || exit").arg(sh(plan.cwd)));
    if (plan.umask) s.setup.line(QStringLiteral("umask ") + qsOctal(*plan.umask));
    ShellFds(plan, s).arrange();
    addShellWrappers(plan, s);
    if (!plan.passFds.empty())
        s.notes.append(QStringLiteral("pass_fds: bash passes its inheritable fds on as they are."));
    const QString command = shellCommandLine(plan, s);

    Code code(QStringLiteral("# "));
    code.line(QStringLiteral("#!/bin/bash"));
    code.comment(QStringLiteral("The spawn plan as a bash command line, generated by spawnlab."));
    for (const QString &note :
         spawnlabOnly(plan, QStringLiteral("bash forks (or execs) the command itself")) + s.notes)
        code.comment(note);
    QString text = code.text() + s.setup.text();
    if (s.captureFd < 0) return text + s.feed + command + QLatin1Char('\n');
    Code capture(QStringLiteral("# "));
    capture.line(QStringLiteral("out=$(%1%2)").arg(s.feed, command));
    capture.line(QStringLiteral("status=$?"));
    capture.comment(QStringLiteral("fd %1 as the child wrote it, but for the trailing newlines "
                                   "$(...) drops.")
                        .arg(s.captureFd));
    capture.line(QStringLiteral("printf '%s\\n' \"$out\""));
    capture.line(QStringLiteral("exit \"$status\""));
    return text + capture.text();
}

} // namespace spawnlab::codeexport
