// SPDX-License-Identifier: GPL-3.0-or-later
// The plan as a C program around glibc's posix_spawn: the fd table as file
// actions in the plan's order (sources that an action would replace are first
// copied to a number the plan does not name, as the core does), the session, group and
// signals as attributes, and what posix_spawn has no attribute for said in a
// comment. The environment, helpers and main() are in codeexport_c_program.cpp.
#include "codeexport/codeexport_c.h"

#include <algorithm>

namespace spawnlab::codeexport {
namespace {

QString cSignalSet(const QString &name, const std::vector<int> &signals, Code &code)
{
    code.line(QStringLiteral("sigset_t %1;").arg(name));
    code.line(QStringLiteral("sigemptyset(&%1);").arg(name));
    for (int sig : signals)
        code.line(QStringLiteral("sigaddset(&%1, %2);").arg(name, cSignal(sig)));
    return QLatin1Char('&') + name;
}

QString fdAction(const QString &call, int index, const QString &what)
{
    return QStringLiteral("check(posix_spawn_file_actions_%1, \"fds[%2]: %3\");")
        .arg(call)
        .arg(index)
        .arg(what);
}

class CFds
{
public:
    CFds(const SpawnPlan &plan, CProgram &p) : m_plan(plan), m_p(p), m_layout(fdLayout(plan)) {}

    void arrange()
    {
        Code &c = m_p.actions;
        if (!m_plan.cwd.empty()) {
            c.comment(QStringLiteral("cwd first: the child opens relative paths there."));
            c.line(QStringLiteral("check(posix_spawn_file_actions_addchdir_np(&actions, %1), "
                                  "\"addchdir_np\");")
                       .arg(cString(m_plan.cwd)));
        }
        // The core's moves, in its order: sources copied away, fds[], pass_fds.
        std::set<int> copied;
        for (const FdMove &m : m_layout.moves) {
            if (m.kind == FdMoveKind::CopyAway) {
                if (copied.insert(m.fd).second) copySource(m.fd); // once for all its readers
            } else if (m.passFd) {
                c.comment(QStringLiteral("pass_fds: dup2 onto itself clears FD_CLOEXEC in the "
                                         "child (glibc 2.29+)."));
                c.line(QStringLiteral("check(posix_spawn_file_actions_adddup2(&actions, %1, %1), "
                                      "\"pass_fds\");")
                           .arg(m.fd));
            } else {
                addAction(m_plan.fds[std::size_t(m.planIndex)], m.planIndex, copied);
            }
        }
        if (m_plan.closeFds) addCloseFds();
    }

private:
    void copySource(int from)
    {
        m_p.copiesAway = true;
        m_p.actions.comment(QStringLiteral("fd %1 is read by a dup and replaced by another "
                                           "action: the child reads a copy that no action "
                                           "replaces.")
                                .arg(from));
        m_p.actions.line(QStringLiteral("int from_%1 = copy_away(%1);").arg(from));
        m_p.afterSpawn.line(QStringLiteral("close(from_%1);").arg(from));
    }

    void addAction(const FdAction &a, int index, const std::set<int> &copied)
    {
        Code &c = m_p.actions;
        c.comment(describe(a, index));
        switch (a.action) {
        case FdActionKind::Dup: {
            const QString from = copied.count(a.from) ? QStringLiteral("from_%1").arg(a.from)
                                                      : QString::number(a.from);
            c.line(fdAction(QStringLiteral("adddup2(&actions, %1, %2)").arg(from).arg(a.fd), index,
                            QStringLiteral("adddup2")));
            break;
        }
        case FdActionKind::Open:
            c.line(fdAction(QStringLiteral("addopen(&actions, %1, %2, %3, 0%4)")
                                .arg(a.fd)
                                .arg(cString(a.path), cFlags(a.flags))
                                .arg(unsigned(a.mode), 0, 8),
                            index, QStringLiteral("addopen")));
            break;
        case FdActionKind::Close:
            c.line(fdAction(QStringLiteral("addclose(&actions, %1)").arg(a.fd), index,
                            QStringLiteral("addclose")));
            break;
        case FdActionKind::Null:
            c.line(fdAction(
                QStringLiteral("addopen(&actions, %1, \"/dev/null\", O_RDWR, 0)").arg(a.fd), index,
                QStringLiteral("addopen")));
            break;
        case FdActionKind::PipeOut:
        case FdActionKind::PipeIn:
            addPipe(a, index);
            break;
        }
    }

    void addPipe(const FdAction &a, int index)
    {
        const bool out = a.action == FdActionKind::PipeOut;
        const QString ends = QStringLiteral("pipe_%1").arg(a.fd);
        const int childEnd = out ? 1 : 0;
        m_p.copiesAway = true;
        m_p.actions.line(QStringLiteral("int %1[2];").arg(ends));
        m_p.actions.line(QStringLiteral("make_pipe(%1, %2);").arg(ends).arg(1 - childEnd));
        m_p.actions.line(fdAction(
            QStringLiteral("adddup2(&actions, %1[%2], %3)").arg(ends).arg(childEnd).arg(a.fd),
            index, QStringLiteral("adddup2")));
        m_p.afterSpawn.line(QStringLiteral("close(%1[%2]);").arg(ends).arg(childEnd));
        m_p.pipes.append(out ? QStringLiteral("{%1[0], %2, NULL, 0, NULL, 0}").arg(ends).arg(a.fd)
                             : QStringLiteral("{%1[1], %2, %3, %4, NULL, 0}")
                                   .arg(ends)
                                   .arg(a.fd)
                                   .arg(cString(a.input))
                                   .arg(a.input.size()));
        if (out) m_p.captured.append(int(m_p.pipes.size()) - 1);
    }

    void addCloseFds()
    {
        Code &c = m_p.actions;
        const int highest = m_layout.kept.empty() ? 2 : m_layout.kept.back();
        c.comment(QStringLiteral("close_fds: close every fd >= 3 the plan does not keep (closing "
                                 "one that is not open is no error)."));
        for (int fd = 3; fd < highest;) {
            if (m_layout.keeps(fd)) {
                ++fd;
                continue;
            }
            int end = fd;
            while (end < highest && !m_layout.keeps(end))
                ++end;
            if (end - fd == 1) {
                c.line(QStringLiteral("check(posix_spawn_file_actions_addclose(&actions, %1), "
                                      "\"close_fds\");")
                           .arg(fd));
            } else {
                c.line(QStringLiteral("for (int fd = %1; fd < %2; fd++)").arg(fd).arg(end));
                c.line(QStringLiteral("    check(posix_spawn_file_actions_addclose(&actions, fd), "
                                      "\"close_fds\");"));
            }
            fd = end;
        }
        c.comment(QStringLiteral("glibc refuses a number at or past RLIMIT_NOFILE; then no fd "
                                 "is open above it."));
        c.line(QStringLiteral("if (%1 < sysconf(_SC_OPEN_MAX))").arg(highest + 1));
        c.line(QStringLiteral("    check(posix_spawn_file_actions_addclosefrom_np(&actions, %1), "
                              "\"closefrom_np\");")
                   .arg(highest + 1));
    }

    const SpawnPlan &m_plan;
    CProgram &m_p;
    FdLayout m_layout;
};

void addAttributes(const SpawnPlan &plan, CProgram &p)
{
    Code &c = p.attributes;
    QStringList flags;
    if (plan.signals.block) {
        c.line(QStringLiteral("check(posix_spawnattr_setsigmask(&attr, %1), \"setsigmask\");")
                   .arg(cSignalSet(QStringLiteral("mask"), *plan.signals.block, c)));
        flags.append(QStringLiteral("POSIX_SPAWN_SETSIGMASK"));
    }
    if (!plan.signals.setDefault.empty()) {
        c.line(QStringLiteral("check(posix_spawnattr_setsigdefault(&attr, %1), \"setsigdefault\");")
                   .arg(cSignalSet(QStringLiteral("defaults"), plan.signals.setDefault, c)));
        flags.append(QStringLiteral("POSIX_SPAWN_SETSIGDEF"));
    }
    if (plan.setsid) flags.append(QStringLiteral("POSIX_SPAWN_SETSID")); // glibc 2.26
    if (plan.pgid) {
        c.line(QStringLiteral("check(posix_spawnattr_setpgroup(&attr, %1), \"setpgroup\");")
                   .arg(*plan.pgid));
        flags.append(QStringLiteral("POSIX_SPAWN_SETPGROUP"));
    }
    if (!flags.isEmpty())
        c.line(QStringLiteral("check(posix_spawnattr_setflags(&attr, %1), \"setflags\");")
                   .arg(flags.join(QStringLiteral(" | "))));
}

// What posix_spawn has no attribute for: inherited from this process where
// the child would inherit it anyway, otherwise only said.
void addLimits(const SpawnPlan &plan, CProgram &p)
{
    if (plan.umask) {
        p.notes.append(QStringLiteral("posix_spawn cannot express umask: the child inherits this "
                                      "process's, so it is set around the call (umask is "
                                      "process-wide: not safe while other threads create files)."));
        p.aroundSpawn.line(
            QStringLiteral("mode_t saved_umask = umask(0%1);").arg(unsigned(*plan.umask), 0, 8));
        p.restore.line(QStringLiteral("umask(saved_umask);"));
    }
    if (!plan.signals.ignore.empty()) {
        const int count = int(plan.signals.ignore.size());
        p.notes.append(QStringLiteral("posix_spawn cannot express signals.ignore: a disposition "
                                      "can only be inherited, so this process ignores %1 around "
                                      "the call.")
                           .arg(signalList(plan.signals.ignore)));
        QStringList names;
        for (int sig : plan.signals.ignore)
            names.append(cSignal(sig));
        Code &c = p.aroundSpawn;
        c.line(QStringLiteral("const int ignored[%1] = {%2};").arg(count).arg(names.join(", ")));
        c.line(QStringLiteral("struct sigaction ignore = {.sa_handler = SIG_IGN}, saved[%1];")
                   .arg(count));
        c.line(QStringLiteral("for (int i = 0; i < %1; i++)").arg(count));
        c.line(QStringLiteral("    sigaction(ignored[i], &ignore, &saved[i]);"));
        p.restore.line(QStringLiteral("for (int i = 0; i < %1; i++)").arg(count));
        p.restore.line(QStringLiteral("    sigaction(ignored[i], &saved[i], NULL);"));
    }
    if (plan.credentials)
        p.notes.append(QStringLiteral("posix_spawn cannot express credentials: "
                                      "POSIX_SPAWN_RESETIDS only resets the effective ids to the "
                                      "real ones. Exec through setpriv(1), or fork."));
    if (!plan.rlimits.empty())
        p.notes.append(QStringLiteral("posix_spawn cannot express rlimits: the child inherits "
                                      "this process's limits. Exec through prlimit(1), or fork."));
    if (plan.timeoutMs > 0)
        p.notes.append(QStringLiteral("timeout_ms is left out: waitpid below waits as long as "
                                      "the child runs (a pidfd with poll(2) would add one)."));
    if (searchesPath(plan) && childPathDiffers(plan.env))
        p.notes.append(QStringLiteral("posix_spawnp searches this process's PATH, not the child's "
                                      "environment's."));
}

} // namespace

QString exportC(const SpawnPlan &plan)
{
    CProgram p;
    CFds(plan, p).arrange();
    addAttributes(plan, p);
    addLimits(plan, p);
    addEnvironment(plan, p);
    p.named = fdLayout(plan).named;
    return assembleC(plan, p);
}

} // namespace spawnlab::codeexport
