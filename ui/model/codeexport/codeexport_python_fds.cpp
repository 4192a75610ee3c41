// SPDX-License-Identifier: GPL-3.0-or-later
// Python: where each plan fd goes. fds 0-2 are Popen's stdin/stdout/stderr
// (Popen itself handles swaps among them). An fd >= 3 can only be passed at
// the number it has in the script (pass_fds), so the script first puts it
// there: sources that a placement would replace are first copied to a number
// the plan does not name, and new fds (both ends of the script's pipes) are
// moved to such numbers too, so no placement replaces another's fd.
#include "codeexport/codeexport_python.h"

namespace spawnlab::codeexport {
namespace {

QString pyTuple(const QStringList &items)
{
    return QLatin1Char('(') + items.join(QStringLiteral(", ")) + (items.size() == 1 ? ",)" : ")");
}

QString pyFlags(int flags)
{
    QStringList parts;
    for (const QString &name : openFlagList(flags))
        parts.append(QStringLiteral("os.") + name);
    return parts.join(QStringLiteral(" | "));
}

class PythonFds
{
public:
    PythonFds(const SpawnPlan &plan, PythonScript &s)
        : m_plan(plan), m_s(s), m_shuffle(planFdShuffle(plan))
    {
        // The fds >= 3 the script itself puts at their numbers: a close
        // there only leaves the fd out of pass_fds, and a dup onto itself or a
        // pass_fds entry is passed where it is.
        for (const FdMove &m : m_shuffle.moves)
            if (m.fd >= 3 && (m.kind == FdMoveKind::Dup2 || m.kind == FdMoveKind::Open))
                m_placed.insert(m.fd);
    }

    void arrange()
    {
        if (!m_placed.empty()) addPlacementHelpers();
        for (const FdAction &a : m_plan.fds)
            if (a.action == FdActionKind::Dup && m_placed.count(a.from) && !m_copied.count(a.from))
                copySource(a.from);
        // The core's moves in its order; sources are copied by the rule
        // above (Popen places fds 0-2 itself), not by its CopyAway moves.
        for (const FdMove &m : m_shuffle.moves) {
            if (m.kind == FdMoveKind::CopyAway) continue;
            if (m.passFd)
                keep(m.fd);
            else
                emitAction(m_plan.fds[std::size_t(m.planIndex)], m.planIndex);
        }
        for (auto [fd, value] : m_stdio.asKeyValueRange())
            m_s.kwargs.append(QStringLiteral("%1=%2").arg(stdioName(fd), value));
        if (!m_plan.closeFds) m_s.kwargs.append(QStringLiteral("close_fds=False"));
        QStringList passFds;
        for (int fd : m_passFds)
            passFds.append(QString::number(fd));
        if (!passFds.isEmpty()) m_s.kwargs.append(QStringLiteral("pass_fds=") + pyTuple(passFds));
    }

private:
    static QString stdioName(int fd)
    {
        return fd == 0   ? QStringLiteral("stdin")
               : fd == 1 ? QStringLiteral("stdout")
                         : QStringLiteral("stderr");
    }
    bool placing() const { return !m_placed.empty(); }
    QString source(int from) const
    {
        return m_copied.count(from) ? QStringLiteral("parent_fd_%1").arg(from)
                                    : QString::number(from);
    }
    QString inheritable() const
    {
        return m_plan.closeFds ? QStringLiteral("False") : QStringLiteral("True");
    }

    void addPlacementHelpers()
    {
        m_s.imports.insert(QStringLiteral("fcntl"));
        Code constant(QStringLiteral("# "));
        constant.comment(QStringLiteral("Popen passes an fd >= 3 only at the number it has here "
                                        "(pass_fds), so the script first puts each one at its "
                                        "child number.%1")
                             .arg(m_plan.closeFds ? QStringLiteral(" Its own copies stay "
                                                                   "non-inheritable: pass_fds "
                                                                   "makes them inheritable in "
                                                                   "the child only.")
                                                  : QString()));
        QStringList named;
        for (int fd : fdLayout(m_plan).named)
            named.append(QString::number(fd));
        constant.comment(QStringLiteral("Every fd the plan names: its placements, sources and "
                                        "pass_fds."));
        constant.line(QStringLiteral("PLAN_FDS = frozenset({%1})").arg(named.join(", ")));
        m_s.helpers.append(constant.text());

        // As the core's copyAwayFromTargets: free numbers below the highest
        // named fd count too, so a placement at RLIMIT_NOFILE - 1 leaves room.
        // Unlike the core, the script avoids its sources too: they may not be
        // open where it runs, and a copy must not take their number.
        Code away(QStringLiteral("# "));
        away.lines(uR"py(def copy_away(fd):
    """A non-inheritable copy of fd on the lowest free number the plan
    does not name, so that putting another fd at its number cannot
    replace it."""
    base = 3
    while True:
        copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, base)
        if copy not in PLAN_FDS:
            return copy
        os.close(copy)  # a number the plan uses: free again for it
        base = copy + 1)py");
        m_s.helpers.append(away.text());

        Code move(QStringLiteral("# "));
        move.lines(uR"py(def move_away(fd):
    """copy_away(fd), closing fd."""
    moved = copy_away(fd)
    os.close(fd)
    return moved)py");
        m_s.helpers.append(move.text());

        Code place(QStringLiteral("# "));
        place.line(QStringLiteral("def place(fd, number):"));
        place.indent();
        place.line(QStringLiteral("\"\"\"Puts fd at `number` in this process, where Popen passes "
                                  "it on.\"\"\""));
        place.line(QStringLiteral("if fd != number:"));
        place.indent();
        place.line(QStringLiteral("os.dup2(fd, number, inheritable=%1)").arg(inheritable()));
        place.line(QStringLiteral("os.close(fd)"));
        place.dedent();
        if (!m_plan.closeFds) {
            place.line(QStringLiteral("else:"));
            place.indent();
            place.line(QStringLiteral("os.set_inheritable(fd, True)"));
        }
        m_s.helpers.append(place.text());
    }

    void copySource(int from)
    {
        m_copied.insert(from);
        m_s.setup.comment(QStringLiteral("fd %1 is read by a dup and replaced by another action: "
                                         "keep a copy of this process's fd %1 first.")
                              .arg(from));
        m_s.setup.line(QStringLiteral("parent_fd_%1 = copy_away(%1)").arg(from));
    }

    // A new fd of the script's own: out of the way of the placements.
    QString fresh(const QString &expression) const
    {
        return placing() ? QStringLiteral("move_away(%1)").arg(expression) : expression;
    }

    void keep(int fd)
    {
        if (fd < 3) return;
        if (m_plan.closeFds)
            m_passFds.insert(fd);
        else
            m_s.setup.line(QStringLiteral("os.set_inheritable(%1, True)").arg(fd));
    }

    void put(int fd, const QString &value)
    {
        if (fd < 3) {
            m_stdio.insert(fd, value);
            return;
        }
        m_s.setup.line(QStringLiteral("place(%1, %2)").arg(value).arg(fd));
        m_s.after.line(QStringLiteral("os.close(%1)").arg(fd));
        keep(fd);
    }

    void emitAction(const FdAction &a, int index)
    {
        m_s.setup.comment(describe(a, index));
        switch (a.action) {
        case FdActionKind::Dup:
            emitDup(a);
            break;
        case FdActionKind::Null:
            if (a.fd < 3)
                m_stdio.insert(a.fd, QStringLiteral("subprocess.DEVNULL"));
            else
                put(a.fd, QStringLiteral("os.open(os.devnull, os.O_RDWR)"));
            break;
        case FdActionKind::Open:
            emitOpen(a);
            break;
        case FdActionKind::Close:
            emitClose(a);
            break;
        case FdActionKind::PipeOut:
        case FdActionKind::PipeIn:
            emitPipe(a);
            break;
        }
    }

    void emitDup(const FdAction &a)
    {
        if (a.from == a.fd) {
            keep(a.fd); // fd 0-2 are inherited as they are
        } else if (a.fd < 3) {
            m_stdio.insert(a.fd, source(a.from));
        } else {
            m_s.setup.line(QStringLiteral("os.dup2(%1, %2, inheritable=%3)")
                               .arg(source(a.from))
                               .arg(a.fd)
                               .arg(inheritable()));
            m_s.after.line(QStringLiteral("os.close(%1)").arg(a.fd));
            keep(a.fd);
        }
    }

    void emitOpen(const FdAction &a)
    {
        const std::string path = childRelativePath(m_plan, a.path);
        m_s.setup.comment(QStringLiteral("Popen cannot open a file in the child: it is opened "
                                         "here, so a failure is this script's and this "
                                         "process's umask applies%1.")
                              .arg(path != a.path ? QStringLiteral(" (the path is made relative "
                                                                   "to cwd, as the child would "
                                                                   "see it)")
                                                  : QString()));
        QString open = QStringLiteral("os.open(%1, %2, 0o%3)")
                           .arg(pyString(path), pyFlags(a.flags))
                           .arg(unsigned(a.mode), 0, 8);
        if (a.fd >= 3) {
            put(a.fd, open);
            return;
        }
        const QString name = QStringLiteral("fd%1_file").arg(a.fd);
        m_s.setup.line(QStringLiteral("%1 = %2").arg(name, fresh(open)));
        m_stdio.insert(a.fd, name);
        m_s.after.line(QStringLiteral("os.close(%1)").arg(name));
    }

    void emitClose(const FdAction &a)
    {
        if (a.fd < 3) {
            m_s.setup.comment(QStringLiteral("Popen cannot express closing fd %1 (stdin, stdout "
                                             "and stderr are always set up): preexec_fn closes "
                                             "it in the child.")
                                  .arg(a.fd));
            m_s.preexec.append(QStringLiteral("os.close(%1)").arg(a.fd));
        } else if (m_plan.closeFds) {
            m_s.setup.comment(QStringLiteral("close_fds=True closes it."));
        } else {
            m_s.imports.insert(QStringLiteral("contextlib"));
            m_s.setup.line(QStringLiteral("with contextlib.suppress(OSError):  # not open: "
                                          "nothing to close"));
            m_s.setup.line(QStringLiteral("    os.set_inheritable(%1, False)").arg(a.fd));
        }
    }

    void emitPipe(const FdAction &a)
    {
        const bool out = a.action == FdActionKind::PipeOut;
        if (out && (a.fd == 1 || a.fd == 2)) {
            m_stdio.insert(a.fd, QStringLiteral("subprocess.PIPE"));
            m_s.captured.insert(a.fd, a.fd == 1 ? QStringLiteral("out") : QStringLiteral("err"));
            m_s.stdioPipes = true;
            return;
        }
        if (!out && a.fd == 0) {
            m_stdio.insert(0, QStringLiteral("subprocess.PIPE"));
            m_s.input = pyBytes(a.input);
            m_s.stdioPipes = true;
            return;
        }
        // A pipe Popen does not offer: the script makes it and serves its end in a thread.
        const QString parent = QStringLiteral("fd%1_parent").arg(a.fd);
        const QString child = QStringLiteral("fd%1_child").arg(a.fd);
        m_s.setup.line(out ? QStringLiteral("%1, %2 = os.pipe()").arg(parent, child)
                           : QStringLiteral("%1, %2 = os.pipe()").arg(child, parent));
        if (placing()) m_s.setup.line(QStringLiteral("%1 = move_away(%1)").arg(parent));
        // Popen dup2s the child end onto 0-2 itself, so it must survive the
        // placements until then; at >= 3 put() places it.
        if (placing() && a.fd < 3) m_s.setup.line(QStringLiteral("%1 = move_away(%1)").arg(child));
        if (a.fd >= 3) {
            put(a.fd, child);
        } else {
            m_stdio.insert(a.fd, child);
            m_s.after.line(QStringLiteral("os.close(%1)").arg(child));
        }
        m_s.threadPool = true;
        if (out) {
            m_s.submits.append(
                QStringLiteral("fd%1_output = pool.submit(read_all, %2)").arg(a.fd).arg(parent));
            m_s.captured.insert(a.fd, QStringLiteral("fd%1_output.result()").arg(a.fd));
        } else {
            m_s.submits.append(
                QStringLiteral("pool.submit(write_all, %1, %2)").arg(parent, pyBytes(a.input)));
        }
    }

    const SpawnPlan &m_plan;
    PythonScript &m_s;
    const FdShuffle m_shuffle;
    std::set<int> m_placed; // child fds >= 3 the script puts at their number
    std::set<int> m_copied; // sources copied before a placement replaces them
    QMap<int, QString> m_stdio;
    std::set<int> m_passFds; // sorted, as Popen keeps them
};

} // namespace

void addPythonFds(const SpawnPlan &plan, PythonScript &s)
{
    PythonFds(plan, s).arrange();
}

} // namespace spawnlab::codeexport
