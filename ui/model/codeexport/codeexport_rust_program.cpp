// SPDX-License-Identifier: GPL-3.0-or-later
// The Rust export's literals, its small libc module, helpers and main(). The
// libc crate has every function declared here; declaring them keeps the file
// buildable with a bare `rustc`.
#include "codeexport/codeexport_rust.h"

#include <QMap>

namespace spawnlab::codeexport {
namespace {

// Linux values (x86_64 and the other common ABIs).
const QMap<QString, QString> &sysItems()
{
    static const QMap<QString, QString> items{
        {"fcntl", "pub fn fcntl(fd: c_int, cmd: c_int, ...) -> c_int;"},
        {"dup2", "pub fn dup2(old: c_int, new: c_int) -> c_int;"},
        {"close", "pub fn close(fd: c_int) -> c_int;"},
        {"setsid", "pub fn setsid() -> c_int;"},
        {"setpgid", "pub fn setpgid(pid: c_int, pgid: c_int) -> c_int;"},
        {"umask", "pub fn umask(mask: u32) -> u32;"},
        {"setrlimit", "pub fn setrlimit(resource: c_int, limit: *const [u64; 2]) -> c_int;"},
        {"setgroups", "pub fn setgroups(size: usize, list: *const u32) -> c_int;"},
        {"setgid", "pub fn setgid(gid: u32) -> c_int;"},
        {"setuid", "pub fn setuid(uid: u32) -> c_int;"},
        {"signal", "pub fn signal(sig: c_int, handler: isize) -> isize;"},
        {"sigprocmask", "pub fn sigprocmask(how: c_int, set: *const SigSet, old: *mut SigSet) "
                        "-> c_int;\n        pub fn sigemptyset(set: *mut SigSet) -> c_int;\n"
                        "        pub fn sigaddset(set: *mut SigSet, sig: c_int) -> c_int;"}};
    return items;
}

QString sysModule(const RustProgram &p)
{
    std::set<QString> items = p.sys;
    if (p.copiesAway) items.insert({QStringLiteral("fcntl"), QStringLiteral("F_DUPFD_CLOEXEC")});
    if (items.empty()) return {};
    QStringList text{QStringLiteral("mod sys {"), QStringLiteral("    use std::os::raw::c_int;")};
    if (items.count(QStringLiteral("F_DUPFD_CLOEXEC")))
        text.append(QStringLiteral("    pub const F_DUPFD_CLOEXEC: c_int = 1030;"));
    if (items.count(QStringLiteral("F_SETFD")))
        text.append(QStringLiteral("    pub const F_SETFD: c_int = 2;"));
    if (items.count(QStringLiteral("signal")))
        text.append(
            QStringLiteral("    pub const SIG_DFL: isize = 0;\n    pub const SIG_IGN: isize = 1;\n"
                           "    pub const SIG_ERR: isize = -1;"));
    if (items.count(QStringLiteral("sigprocmask")))
        text.append(QStringLiteral(
            "    pub const SIG_SETMASK: c_int = 2;\n"
            "    #[repr(C)]\n    pub struct SigSet(pub [u64; 16]); // glibc's sigset_t"));
    text.append(QStringLiteral("    unsafe extern \"C\" {"));
    for (const QString &item : items)
        if (sysItems().contains(item))
            text.append(QStringLiteral("        ") + sysItems().value(item));
    text.append(QStringLiteral("    }"));
    text.append(QStringLiteral("}"));
    return QStringLiteral(
               "// The few libc items std does not wrap (the libc crate has them too).\n") +
           text.join(QLatin1Char('\n'));
}

// `use` lines, one per module: {"std::io::self", "std::io::Read"} -> use std::io::{self, Read};
QString useLines(const std::set<QString> &paths)
{
    QMap<QString, QStringList> modules;
    for (const QString &path : paths) {
        const auto split = path.lastIndexOf(QStringLiteral("::"));
        modules[path.left(split)].append(path.mid(split + 2));
    }
    QStringList lines;
    for (auto [module, items] : modules.asKeyValueRange()) {
        std::sort(items.begin(), items.end(), [](const QString &a, const QString &b) {
            return (a == QLatin1String("self")) != (b == QLatin1String("self"))
                       ? a == QLatin1String("self")
                       : a < b;
        });
        lines.append(items.size() == 1 && items.front() != QLatin1String("self")
                         ? QStringLiteral("use %1::%2;").arg(module, items.front())
                     : items.size() == 1
                         ? QStringLiteral("use %1;").arg(module)
                         : QStringLiteral("use %1::{%2};").arg(module, items.join(", ")));
    }
    lines.sort(); // as rustfmt orders them
    return lines.join(QLatin1Char('\n'));
}

QStringList helpers(const RustProgram &p, std::set<QString> &uses)
{
    QStringList blocks;
    if (!p.preExec.isEmpty())
        blocks.append(QStringLiteral(
            "/// A libc call's result as io::Result: -1 means failure, with errno.\n"
            "fn check(result: i32) -> io::Result<()> {\n"
            "    if result == -1 { Err(io::Error::last_os_error()) } else { Ok(()) }\n}"));
    if (p.usesParentFd) {
        uses.insert({QStringLiteral("std::os::fd::BorrowedFd"),
                     QStringLiteral("std::os::fd::OwnedFd"), QStringLiteral("std::os::fd::RawFd")});
        blocks.append(
            QStringLiteral("/// A CLOEXEC copy of this process's fd `fd`.\n"
                           "fn parent_fd(fd: RawFd) -> io::Result<OwnedFd> {\n"
                           "    // Safety: the plan names `fd` as open in this process.\n"
                           "    unsafe { BorrowedFd::borrow_raw(fd) }.try_clone_to_owned()\n}"));
    }
    if (p.copiesAway) {
        uses.insert({QStringLiteral("std::os::fd::AsRawFd"),
                     QStringLiteral("std::os::fd::FromRawFd"),
                     QStringLiteral("std::os::fd::OwnedFd")});
        QStringList named;
        for (int fd : p.named)
            named.append(QString::number(fd));
        blocks.append(
            QStringLiteral(
                "/// Every fd the plan names: its targets, sources and pass_fds.\n"
                "const PLAN_FDS: &[i32] = &[%1];\n\n"
                "/// Moves `fd` (CLOEXEC) to the lowest free number the plan does not name,\n"
                "/// so that no dup2 in pre_exec replaces it before it is used. Free numbers\n"
                "/// below the highest named fd count too: a target at RLIMIT_NOFILE - 1\n"
                "/// leaves room.\n"
                "fn move_away(fd: impl Into<OwnedFd>) -> io::Result<OwnedFd> {\n"
                "    let fd: OwnedFd = fd.into();\n"
                "    let mut base = 3;\n"
                "    loop {\n"
                "        let copy = unsafe { sys::fcntl(fd.as_raw_fd(), sys::F_DUPFD_CLOEXEC, "
                "base) };\n"
                "        if copy < 0 {\n"
                "            return Err(io::Error::last_os_error());\n"
                "        }\n"
                "        // Safety: fcntl just made `copy`, and nothing else owns it.\n"
                "        let copy = unsafe { OwnedFd::from_raw_fd(copy) };\n"
                "        if !PLAN_FDS.contains(&copy.as_raw_fd()) {\n"
                "            return Ok(copy);\n"
                "        }\n"
                "        // A number the plan uses: dropping `copy` frees it again.\n"
                "        base = copy.as_raw_fd() + 1;\n"
                "    }\n"
                "}")
                .arg(named.join(QStringLiteral(", "))));
    }
    if (p.readsPipes) {
        uses.insert(QStringLiteral("std::io::Read"));
        blocks.append(QStringLiteral("fn read_all(mut pipe: impl Read) -> io::Result<Vec<u8>> {\n"
                                     "    let mut data = Vec::new();\n"
                                     "    pipe.read_to_end(&mut data)?;\n    Ok(data)\n}"));
    }
    if (p.writesPipes) {
        uses.insert(QStringLiteral("std::io::Write"));
        blocks.append(QStringLiteral(
            "/// Writes `data`; a child that does not read it all closes its end, which is fine.\n"
            "fn write_all(mut pipe: impl Write, data: &[u8]) -> io::Result<()> {\n"
            "    match pipe.write_all(data) {\n"
            "        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),\n"
            "        result => result,\n    }\n}"));
    }
    return blocks;
}

void addSpawnAndWait(const RustProgram &p, Code &main, std::set<QString> &uses)
{
    if (!p.preExec.isEmpty()) {
        main.comment(QStringLiteral("pre_exec is unsafe: the closure runs in the child between "
                                    "fork and exec, where only async-signal-safe calls are sound "
                                    "(each call below is one). It also makes std fork instead of "
                                    "using posix_spawn."));
        main.line(QStringLiteral("unsafe {"));
        main.line(QStringLiteral("    command.pre_exec(move || {"));
        for (const QString &statement : p.preExec)
            main.line(QStringLiteral("        ") + statement);
        main.line(QStringLiteral("        Ok(())"));
        main.line(QStringLiteral("    });"));
        main.line(QStringLiteral("}"));
    }
    const bool stdinPiped = !p.stdinInput.isEmpty();
    const bool output = stdinPiped || p.captured.contains(1) || p.captured.contains(2);
    main.line(
        QStringLiteral("let %1child = command.spawn()?;").arg(stdinPiped || !output ? "mut " : ""));
    if (p.dropsCommand)
        main.line(QStringLiteral(
            "drop(command); // closes this process's copies of the child's pipe ends"));
    for (const QString &line : p.afterSpawn.text().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        main.line(line);
    if (stdinPiped) {
        uses.insert(QStringLiteral("std::thread"));
        main.line(QStringLiteral("let stdin = child.stdin.take().expect(\"stdin is piped\");"));
        main.line(QStringLiteral("let stdin_input = thread::spawn(move || write_all(stdin, %1));")
                      .arg(p.stdinInput));
    }
    if (output) {
        main.line(QStringLiteral("let output = child.wait_with_output()?;"));
        main.line(QStringLiteral("let status = output.status;"));
    } else {
        main.line(QStringLiteral("let status = child.wait()?;"));
    }
    if (stdinPiped) main.line(QStringLiteral("stdin_input.join().expect(\"writer thread\")?;"));
    for (const QString &join : p.joins)
        main.line(join);
}

void addOutput(const RustProgram &p, Code &main, std::set<QString> &uses)
{
    if (!p.captured.isEmpty()) uses.insert(QStringLiteral("std::io::Write"));
    for (auto [fd, expression] : p.captured.asKeyValueRange()) {
        if (p.captured.size() > 1)
            main.line(QStringLiteral("println!(\"--- fd %1 ---\");").arg(fd));
        main.line(QStringLiteral("io::stdout().write_all(&%1)?;").arg(expression));
    }
    uses.insert(QStringLiteral("std::os::unix::process::ExitStatusExt"));
    main.comment(QStringLiteral("A child killed by a signal exits the way a shell reports it: "
                                "128 + the signal."));
    main.line(QStringLiteral("std::process::exit(status.code().unwrap_or_else(|| 128 + "
                             "status.signal().unwrap_or(0)))"));
}

} // namespace

QString assembleRust(const SpawnPlan &plan, const RustProgram &p)
{
    std::set<QString> uses = p.uses;
    uses.insert({QStringLiteral("std::io::self"), QStringLiteral("std::process::Command")});
    if (!p.preExec.isEmpty()) uses.insert(QStringLiteral("std::os::unix::process::CommandExt"));
    const QStringList helperBlocks = helpers(p, uses);

    Code main(QStringLiteral("// "));
    main.line(QStringLiteral("fn main() -> io::Result<()> {"));
    main.indent();
    for (const QString &line : p.setup.text().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        main.line(line);
    main.line(QStringLiteral("let mut command = Command::new(%1);")
                  .arg(rustString(programOf(plan), uses)));
    for (const QString &line : p.command.text().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        main.line(line);
    addSpawnAndWait(p, main, uses);
    addOutput(p, main, uses);
    main.dedent();
    main.line(QStringLiteral("}"));

    Code header(QStringLiteral("// "));
    header.comment(QStringLiteral("The spawn plan as Rust's std::process::Command, generated by "
                                  "spawnlab. Build: rustc --edition 2021 spawn.rs (Rust 1.87+)"));
    const QString creator = QStringLiteral("std uses posix_spawn, or fork when pre_exec or ids "
                                           "need it");
    for (const QString &note : spawnlabOnly(plan, creator) + p.notes)
        header.comment(note);
    QStringList blocks{header.text() + useLines(uses)};
    const QString sys = sysModule(p);
    if (!sys.isEmpty()) blocks.append(sys);
    blocks += helperBlocks;
    blocks.append(main.text().trimmed());
    return blocks.join(QStringLiteral("\n\n")) + QLatin1Char('\n');
}

QString rustString(const std::string &s, std::set<QString> &uses)
{
    if (!isUtf8(s)) {
        uses.insert(
            {QStringLiteral("std::ffi::OsStr"), QStringLiteral("std::os::unix::ffi::OsStrExt")});
        return QStringLiteral("OsStr::from_bytes(%1)").arg(rustBytes(s));
    }
    return unicodeStringLiteral(s,
                                [](unsigned c) { return QStringLiteral("\\u{%1}").arg(c, 0, 16); });
}

QString rustBytes(const std::string &s)
{
    return asciiBytesLiteral(s, QStringLiteral("b\""), QLatin1Char('"'));
}

QString rustSignal(int sig)
{
    return QStringLiteral("%1 /* %2 */").arg(sig).arg(signalText(sig));
}

} // namespace spawnlab::codeexport
