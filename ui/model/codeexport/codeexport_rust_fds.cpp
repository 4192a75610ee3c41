// SPDX-License-Identifier: GPL-3.0-or-later
// Rust: where each plan fd goes. fds 0-2 are Command's stdin/stdout/stderr.
// std has no way to give the child another fd, so a pre_exec closure dup2s
// each one to its number; its sources are copies on numbers the plan does
// not name, so that no dup2 replaces another's source (the core's first pass).
#include "codeexport/codeexport_rust.h"

#include <fcntl.h>

namespace spawnlab::codeexport {
namespace {

// File::options() with the plan's flags; what OpenOptions has no method for
// goes into custom_flags.
QString openOptions(const FdAction &a, const std::string &path, RustProgram &p)
{
    p.uses.insert(QStringLiteral("std::fs::File"));
    QString options = QStringLiteral("File::options()");
    const int access = a.flags & O_ACCMODE;
    if (access == O_RDONLY || access == O_RDWR) options += QStringLiteral(".read(true)");
    if (access == O_WRONLY || access == O_RDWR) options += QStringLiteral(".write(true)");
    if (a.flags & O_APPEND) options += QStringLiteral(".append(true)");
    if (a.flags & O_TRUNC) options += QStringLiteral(".truncate(true)");
    if ((a.flags & O_CREAT) && (a.flags & O_EXCL))
        options += QStringLiteral(".create_new(true)");
    else if (a.flags & O_CREAT)
        options += QStringLiteral(".create(true)");
    const int custom = a.flags & ~(O_ACCMODE | O_APPEND | O_TRUNC | O_CREAT | O_EXCL | O_CLOEXEC);
    if (custom || (a.flags & O_CREAT))
        p.uses.insert(QStringLiteral("std::os::unix::fs::OpenOptionsExt"));
    if (custom)
        options += QStringLiteral(".custom_flags(%1 /* %2 */)")
                       .arg(custom)
                       .arg(openFlagList(custom).join(QLatin1Char('|')));
    if (a.flags & O_CREAT) options += QStringLiteral(".mode(0o%1)").arg(unsigned(a.mode), 0, 8);
    return options + QStringLiteral(".open(%1)?").arg(rustString(path, p.uses));
}

class RustFds
{
public:
    RustFds(const SpawnPlan &plan, RustProgram &p) : m_plan(plan), m_p(p), m_layout(fdLayout(plan))
    {
    }

    void arrange()
    {
        // The core's moves in its order; no CopyAway, as every source is
        // already a copy on a number the plan does not name (placeHigh).
        for (const FdMove &m : m_layout.moves) {
            if (m.kind == FdMoveKind::CopyAway) continue;
            if (m.passFd)
                clearCloexec(m.fd, QStringLiteral("pass_fds"));
            else
                addAction(m_plan.fds[std::size_t(m.planIndex)], m.planIndex);
        }
        addCloseFds();
    }

private:
    static QString stdioName(int fd)
    {
        return fd == 0   ? QStringLiteral("stdin")
               : fd == 1 ? QStringLiteral("stdout")
                         : QStringLiteral("stderr");
    }

    void setStdio(int fd, const QString &stdio)
    {
        m_p.uses.insert(QStringLiteral("std::process::Stdio"));
        m_p.command.line(QStringLiteral("command.%1(%2);").arg(stdioName(fd), stdio));
    }

    QString parentFd(int from)
    {
        m_p.usesParentFd = true;
        return QStringLiteral("parent_fd(%1)?").arg(from);
    }

    // A source for fd `fd`, on a number the plan does not name; pre_exec dup2s it
    // into place.
    void placeHigh(int fd, const QString &source)
    {
        m_p.copiesAway = true;
        m_p.uses.insert(QStringLiteral("std::os::fd::AsRawFd"));
        m_p.setup.line(QStringLiteral("let fd%1_source = move_away(%2)?;").arg(fd).arg(source));
        m_p.setup.line(QStringLiteral("let fd%1_raw = fd%1_source.as_raw_fd();").arg(fd));
        m_p.sys.insert(QStringLiteral("dup2"));
        m_p.preExec.append(QStringLiteral("check(sys::dup2(fd%1_raw, %1))?;").arg(fd));
    }

    void clearCloexec(int fd, const QString &why)
    {
        if (fd < 3) return;
        m_p.sys.insert(QStringLiteral("fcntl"));
        m_p.sys.insert(QStringLiteral("F_SETFD"));
        m_p.preExec.append(
            QStringLiteral("check(sys::fcntl(%1, sys::F_SETFD, 0))?; // %2: keep it across exec")
                .arg(fd)
                .arg(why));
    }

    void addAction(const FdAction &a, int index)
    {
        Code &at = a.fd < 3 ? m_p.command : m_p.setup;
        at.comment(describe(a, index));
        switch (a.action) {
        case FdActionKind::Dup:
            if (a.from == a.fd)
                clearCloexec(a.fd, describe(a, index));
            else if (a.fd < 3)
                setStdio(a.fd, QStringLiteral("Stdio::from(%1)").arg(parentFd(a.from)));
            else
                placeHigh(a.fd, parentFd(a.from));
            break;
        case FdActionKind::Null:
            if (a.fd < 3) {
                m_p.command.comment(
                    QStringLiteral("Read-write, as spawnlab opens it (Stdio::null() "
                                   "opens stdin read-only, the others write-only)."));
                setStdio(a.fd, QStringLiteral("Stdio::from(%1)").arg(openNull()));
            } else {
                placeHigh(a.fd, openNull());
            }
            break;
        case FdActionKind::Open:
            addOpen(a);
            break;
        case FdActionKind::Close:
            if (a.fd < 3)
                m_p.notes.append(QStringLiteral("Command cannot express closing fd %1 (stdin, "
                                                "stdout and stderr are always set up): pre_exec "
                                                "closes it.")
                                     .arg(a.fd));
            m_p.sys.insert(QStringLiteral("close"));
            m_p.preExec.append(
                QStringLiteral("check(sys::close(%1))?; // fds[%2]").arg(a.fd).arg(index));
            break;
        case FdActionKind::PipeOut:
        case FdActionKind::PipeIn:
            addPipe(a);
            break;
        }
    }

    QString openNull()
    {
        m_p.uses.insert(QStringLiteral("std::fs::File"));
        return QStringLiteral("File::options().read(true).write(true).open(\"/dev/null\")?");
    }

    void addOpen(const FdAction &a)
    {
        const std::string path = childRelativePath(m_plan, a.path);
        Code &at = a.fd < 3 ? m_p.command : m_p.setup;
        at.comment(QStringLiteral("std cannot open a file in the child: it is opened here, so a "
                                  "failure is this program's and this process's umask "
                                  "applies%1.")
                       .arg(path != a.path ? QStringLiteral(" (the path made relative to cwd, as "
                                                            "the child would see it)")
                                           : QString()));
        if (a.fd >= 3) {
            placeHigh(a.fd, openOptions(a, path, m_p));
            return;
        }
        m_p.command.line(
            QStringLiteral("let fd%1_file = %2;").arg(a.fd).arg(openOptions(a, path, m_p)));
        setStdio(a.fd, QStringLiteral("Stdio::from(fd%1_file)").arg(a.fd));
    }

    void addPipe(const FdAction &a)
    {
        const bool out = a.action == FdActionKind::PipeOut;
        if (out && (a.fd == 1 || a.fd == 2)) {
            setStdio(a.fd, QStringLiteral("Stdio::piped()"));
            m_p.captured.insert(a.fd, a.fd == 1 ? QStringLiteral("output.stdout")
                                                : QStringLiteral("output.stderr"));
            return;
        }
        if (!out && a.fd == 0) {
            setStdio(0, QStringLiteral("Stdio::piped()"));
            m_p.stdinInput = rustBytes(a.input);
            m_p.writesPipes = true;
            return;
        }
        // A pipe Command does not offer: made here, its end served by a thread.
        m_p.uses.insert(QStringLiteral("std::io::self"));
        m_p.uses.insert(QStringLiteral("std::thread"));
        const QString reader = QStringLiteral("fd%1_reader").arg(a.fd);
        const QString writer = QStringLiteral("fd%1_writer").arg(a.fd);
        Code &at = a.fd < 3 ? m_p.command : m_p.setup;
        at.line(QStringLiteral("let (%1, %2) = io::pipe()?;").arg(reader, writer));
        const QString childEnd = out ? writer : reader;
        if (a.fd < 3) {
            setStdio(a.fd, QStringLiteral("Stdio::from(%1)").arg(childEnd));
            m_p.dropsCommand = true;
        } else {
            placeHigh(a.fd, childEnd);
            m_p.afterSpawn.line(QStringLiteral("drop(fd%1_source);").arg(a.fd));
        }
        if (out) {
            m_p.afterSpawn.line(
                QStringLiteral("let fd%1_output = thread::spawn(move || read_all(%2));")
                    .arg(a.fd)
                    .arg(reader));
            m_p.captured.insert(
                a.fd, QStringLiteral("fd%1_output.join().expect(\"reader thread\")?").arg(a.fd));
            m_p.readsPipes = true;
        } else {
            m_p.afterSpawn.line(
                QStringLiteral("let fd%1_input = thread::spawn(move || write_all(%2, %3));")
                    .arg(a.fd)
                    .arg(writer, rustBytes(a.input)));
            m_p.joins.append(
                QStringLiteral("fd%1_input.join().expect(\"writer thread\")?;").arg(a.fd));
            m_p.writesPipes = true;
        }
    }

    void addCloseFds()
    {
        if (!m_plan.closeFds) return;
        QStringList named;
        for (int fd : m_layout.closedSources) {
            named.append(QString::number(fd));
            m_p.sys.insert(QStringLiteral("close"));
            m_p.preExec.append(QStringLiteral("check(sys::close(%1))?; // close_fds").arg(fd));
        }
        m_p.notes.append(QStringLiteral("std::process cannot express close_fds: it opens its own "
                                        "fds with CLOEXEC, but passes on every fd this process "
                                        "inherited without it%1.")
                             .arg(named.isEmpty() ? QString()
                                                  : QStringLiteral("; pre_exec closes the ones "
                                                                   "the plan names (%1)")
                                                        .arg(named.join(QStringLiteral(", ")))));
    }

    const SpawnPlan &m_plan;
    RustProgram &m_p;
    FdLayout m_layout;
};

} // namespace

void addRustFds(const SpawnPlan &plan, RustProgram &p)
{
    RustFds(plan, p).arrange();
}

} // namespace spawnlab::codeexport
