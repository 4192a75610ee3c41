// SPDX-License-Identifier: GPL-3.0-or-later
// The plan as Go's os/exec with syscall.SysProcAttr. Child fd 3+i is
// ExtraFiles[i] (nil closes it), and Go's fork child shuffles fds in two
// passes, so cycles need nothing special. os/exec has no umask, rlimits or
// signal settings: what it cannot do is said in a comment. main() is put
// together in codeexport_go_program.cpp.
#include "codeexport/codeexport_go.h"

#include <fcntl.h>
#include <sys/resource.h>

#include <algorithm>
#include <set>

namespace spawnlab::codeexport {
namespace {

QString goFlags(int flags)
{
    // os has the portable ones; the rest are in syscall.
    static const QStringList portable{"O_RDONLY", "O_WRONLY", "O_RDWR", "O_APPEND",
                                      "O_CREAT",  "O_EXCL",   "O_SYNC", "O_TRUNC"};
    QStringList parts;
    for (const QString &name : openFlagList(flags)) {
        if (name == QLatin1String("O_CREAT"))
            parts.append(QStringLiteral("os.O_CREATE"));
        else
            parts.append(
                (portable.contains(name) ? QStringLiteral("os.") : QStringLiteral("syscall.")) +
                name);
    }
    return parts.join(QStringLiteral("|"));
}

QString parentFile(int fd)
{
    if (fd == 0) return QStringLiteral("os.Stdin");
    if (fd == 1) return QStringLiteral("os.Stdout");
    if (fd == 2) return QStringLiteral("os.Stderr");
    return QStringLiteral("os.NewFile(%1, \"fd %1\")").arg(fd);
}

void setFd(GoProgram &g, int fd, const QString &file)
{
    static const char *const names[] = {"Stdin", "Stdout", "Stderr"};
    if (fd < 3)
        g.cmd.line(QStringLiteral("cmd.%1 = %2").arg(QLatin1String(names[fd]), file));
    else
        g.extraFiles.insert(fd, file);
}

void addPipe(const FdAction &a, GoProgram &g)
{
    const bool out = a.action == FdActionKind::PipeOut;
    if (out && (a.fd == 1 || a.fd == 2)) {
        const QString buffer = a.fd == 1 ? QStringLiteral("stdout") : QStringLiteral("stderr");
        g.imports.insert(QStringLiteral("bytes"));
        g.setup.line(QStringLiteral("var %1 bytes.Buffer").arg(buffer));
        setFd(g, a.fd, QLatin1Char('&') + buffer);
        g.captured.insert(a.fd, buffer + QStringLiteral(".Bytes()"));
        return;
    }
    if (!out && a.fd == 0) {
        g.imports.insert(QStringLiteral("strings"));
        setFd(g, 0, QStringLiteral("strings.NewReader(%1)").arg(goString(a.input)));
        return;
    }
    // A pipe os/exec does not offer: made here, its end served by a goroutine.
    const QString parent = QStringLiteral("fd%1Parent").arg(a.fd);
    const QString child = QStringLiteral("fd%1Child").arg(a.fd);
    g.setup.line(out ? QStringLiteral("%1, %2, err := os.Pipe()").arg(parent, child)
                     : QStringLiteral("%1, %2, err := os.Pipe()").arg(child, parent));
    g.setup.line(QStringLiteral("check(err)"));
    setFd(g, a.fd, child);
    g.afterStart.line(QStringLiteral("%1.Close() // the child has its own copy").arg(child));
    if (out) {
        g.imports.insert(QStringLiteral("io"));
        g.afterStart.line(QStringLiteral("fd%1Output := make(chan []byte, 1)").arg(a.fd));
        g.afterStart.line(
            QStringLiteral("go func() { data, _ := io.ReadAll(%1); fd%2Output <- data }()")
                .arg(parent)
                .arg(a.fd));
        g.captured.insert(a.fd, QStringLiteral("<-fd%1Output").arg(a.fd));
    } else {
        g.afterStart.line(QStringLiteral("go func() { %1.WriteString(%2); %1.Close() }()")
                              .arg(parent, goString(a.input)));
    }
}

void noteNoRoomAboveTheFds(const SpawnPlan &plan, GoProgram &g);

// A file (or /dev/null) opened by the program and handed to the child:
// os/exec cannot open one in the child.
void addOpenedFile(const SpawnPlan &plan, const FdAction &a, GoProgram &g)
{
    const bool null = a.action == FdActionKind::Null;
    if (!null)
        g.setup.comment(QStringLiteral("os/exec cannot open a file in the child: it is "
                                       "opened here, so a failure is this program's and "
                                       "this process's umask applies."));
    else
        g.setup.comment(QStringLiteral("Read-write, as spawnlab opens it (a nil Stdin is "
                                       "read-only, a nil Stdout write-only)."));
    const QString name = QStringLiteral("fd%1File").arg(a.fd);
    g.setup.line(null ? QStringLiteral("%1, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)").arg(name)
                      : QStringLiteral("%1, err := os.OpenFile(%2, %3, 0%4)")
                            .arg(name, goString(childRelativePath(plan, a.path)), goFlags(a.flags))
                            .arg(unsigned(a.mode), 0, 8));
    g.setup.line(QStringLiteral("check(err)"));
    setFd(g, a.fd, name);
}

void addFds(const SpawnPlan &plan, GoProgram &g)
{
    // A nil Stdin/Stdout/Stderr is /dev/null in os/exec: inheriting is explicit.
    std::set<int> stdioSet;
    for (const FdAction &a : plan.fds)
        stdioSet.insert(a.fd);
    for (int fd = 0; fd < 3; ++fd)
        if (!stdioSet.count(fd)) setFd(g, fd, parentFile(fd));
    // The core's moves in its order; os/exec's child does its own copying
    // away (below), so the CopyAway moves are not written.
    for (const FdMove &m : planFdShuffle(plan).moves) {
        if (m.kind == FdMoveKind::CopyAway) continue;
        if (m.passFd) {
            setFd(g, m.fd, parentFile(m.fd));
            continue;
        }
        const FdAction &a = plan.fds[std::size_t(m.planIndex)];
        (a.fd < 3 ? g.cmd : g.setup).comment(describe(a, m.planIndex));
        switch (a.action) {
        case FdActionKind::Dup:
            setFd(g, a.fd, parentFile(a.from));
            break;
        case FdActionKind::Null:
        case FdActionKind::Open:
            addOpenedFile(plan, a, g);
            break;
        case FdActionKind::Close:
            if (a.fd < 3) {
                g.notes.append(QStringLiteral("os/exec cannot express closing fd %1: a nil "
                                              "Stdin/Stdout/Stderr is /dev/null, which it gets "
                                              "instead.")
                                   .arg(a.fd));
                setFd(g, a.fd, QStringLiteral("nil"));
            }
            break; // fd >= 3: a nil ExtraFiles entry, or not passed at all
        case FdActionKind::PipeOut:
        case FdActionKind::PipeIn:
            addPipe(a, g);
            break;
        }
    }
    noteNoRoomAboveTheFds(plan, g);
}

// Go's child first moves every file to a number above all of them
// (syscall.forkAndExecInChild starts at len(ExtraFiles) + 3), so the
// highest target needs a free number above it, under the hard limit Go
// raises the soft one to at start.
void noteNoRoomAboveTheFds(const SpawnPlan &plan, GoProgram &g)
{
    int highest = -1;
    for (const FdAction &a : plan.fds)
        highest = std::max(highest, a.fd);
    for (int fd : plan.passFds)
        highest = std::max(highest, fd);
    rlimit limit{};
    if (highest >= 3 && getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
        rlim_t(highest) + 1 >= limit.rlim_max)
        g.notes.append(QStringLiteral("os/exec cannot express fd %1 here: its child needs a free "
                                      "number above the highest one it is given, and the fd "
                                      "limit (%2) leaves none")
                           .arg(highest)
                           .arg(qulonglong(limit.rlim_max)));
}

void addCloseFds(const SpawnPlan &plan, GoProgram &g)
{
    const FdLayout layout = fdLayout(plan);
    if (!plan.closeFds) {
        g.notes.append(QStringLiteral("os/exec cannot express close_fds: false. Go opens its own "
                                      "fds with CLOEXEC, so only the files given here and fds "
                                      "this process inherited without CLOEXEC reach the child."));
        return;
    }
    g.notes.append(QStringLiteral("close_fds: Go gives the child only Stdin, Stdout, Stderr and "
                                  "ExtraFiles, plus any fd this process inherited without "
                                  "CLOEXEC; the ones the plan names are marked CLOEXEC below."));
    for (int fd : layout.closedSources) {
        g.imports.insert(QStringLiteral("syscall"));
        g.setup.line(QStringLiteral("syscall.CloseOnExec(%1) // close_fds: not passed on").arg(fd));
    }
}

QString credential(const Credentials &c, GoProgram &g)
{
    // Credential sets both ids: one the plan leaves alone stays this process's.
    QStringList fields{
        c.uid ? QStringLiteral("Uid: %1").arg(*c.uid) : QStringLiteral("Uid: uint32(os.Getuid())"),
        c.gid ? QStringLiteral("Gid: %1").arg(*c.gid) : QStringLiteral("Gid: uint32(os.Getgid())")};
    if (c.groups) {
        QStringList groups;
        for (gid_t group : *c.groups)
            groups.append(QString::number(group));
        fields.append(QStringLiteral("Groups: []uint32{%1}").arg(groups.join(", ")));
    } else {
        fields.append(QStringLiteral("NoSetGroups: true"));
    }
    g.imports.insert(QStringLiteral("syscall"));
    return QStringLiteral("&syscall.Credential{%1}").arg(fields.join(", "));
}

void addProcess(const SpawnPlan &plan, GoProgram &g)
{
    if (!plan.cwd.empty()) g.cmd.line(QStringLiteral("cmd.Dir = ") + goString(plan.cwd));
    const EnvSpec &env = plan.env;
    if (!env.inherit || !env.set.empty() || !env.unset.empty()) {
        QStringList set;
        for (const auto &[name, value] : env.set)
            set.append(goString(name + "=" + value));
        if (!env.inherit) {
            g.cmd.line(QStringLiteral("cmd.Env = []string{%1}").arg(set.join(", ")));
        } else {
            QStringList unset;
            for (const auto &name : env.unset)
                unset.append(goString(name));
            if (unset.isEmpty()) {
                g.cmd.line(QStringLiteral("cmd.Env = os.Environ()"));
            } else {
                // A loop, not slices.DeleteFunc: Debian 12's Go is 1.19. An empty,
                // non-nil Env: a nil one would mean "the parent's environment".
                g.imports.insert(QStringLiteral("strings"));
                QStringList drop;
                for (const QString &name : unset)
                    drop.append(name + QStringLiteral(": true"));
                g.cmd.line(QStringLiteral("unset := map[string]bool{%1}").arg(drop.join(", ")));
                g.cmd.line(QStringLiteral("cmd.Env = []string{}"));
                g.cmd.line(QStringLiteral("for _, entry := range os.Environ() {"));
                g.cmd.line(
                    QStringLiteral("\tif name, _, _ := strings.Cut(entry, \"=\"); !unset[name] {"));
                g.cmd.line(QStringLiteral("\t\tcmd.Env = append(cmd.Env, entry)"));
                g.cmd.line(QStringLiteral("\t}"));
                g.cmd.line(QStringLiteral("}"));
            }
            if (!set.isEmpty()) // os/exec keeps the last of duplicate keys
                g.cmd.line(QStringLiteral("cmd.Env = append(cmd.Env, %1)").arg(set.join(", ")));
        }
    }
    if (plan.setsid) g.attributes.append(QStringLiteral("Setsid: true"));
    if (plan.pgid)
        g.attributes +=
            {QStringLiteral("Setpgid: true"), QStringLiteral("Pgid: %1").arg(*plan.pgid)};
    if (plan.credentials)
        g.attributes.append(QStringLiteral("Credential: ") + credential(*plan.credentials, g));
    if (plan.umask) {
        g.imports.insert(QStringLiteral("syscall"));
        g.notes.append(
            QStringLiteral("os/exec cannot express umask: the child inherits this "
                           "process's, so it is set around Start (umask is "
                           "process-wide: not safe while other goroutines create files)."));
        g.around.line(
            QStringLiteral("savedUmask := syscall.Umask(0%1)").arg(unsigned(*plan.umask), 0, 8));
        g.restore.line(QStringLiteral("syscall.Umask(savedUmask)"));
    }
    if (!plan.rlimits.empty())
        g.notes.append(QStringLiteral("os/exec cannot express rlimits (Go even restores "
                                      "RLIMIT_NOFILE in the child): exec through prlimit(1)."));
    if (hasSignalChanges(plan))
        g.notes.append(QStringLiteral("os/exec cannot express signals.block, signals.default or "
                                      "signals.ignore: the child gets the Go runtime's mask and "
                                      "dispositions."));
    if (searchesPath(plan) && childPathDiffers(env))
        g.notes.append(QStringLiteral("exec.Command looks the program up on this process's PATH, "
                                      "not the child's."));
}

} // namespace

QString goString(const std::string &s)
{
    // Bytes that are not UTF-8 go in as \xHH escapes, which a Go string may hold.
    if (!isUtf8(s)) return asciiBytesLiteral(s, QStringLiteral("\""), QLatin1Char('"'));
    return unicodeStringLiteral(
        s, [](unsigned c) { return QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0')); });
}

QString exportGo(const SpawnPlan &plan)
{
    GoProgram g;
    addProcess(plan, g);
    addFds(plan, g);
    addCloseFds(plan, g);
    return assembleGo(plan, g);
}

} // namespace spawnlab::codeexport
