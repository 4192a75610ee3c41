// SPDX-License-Identifier: GPL-3.0-or-later
// The plan as Rust's std::process::Command with CommandExt. What Command has
// no method for (umask, setsid on stable, rlimits, signals, fds >= 3) is done
// in one pre_exec closure, in the core's order: session, umask, fds, limits,
// ids, signals. The fds are in codeexport_rust_fds.cpp, main() in
// codeexport_rust_program.cpp.
#include "codeexport/codeexport_rust.h"

#include <csignal>

namespace spawnlab::codeexport {
namespace {

void addProgram(const SpawnPlan &plan, RustProgram &p)
{
    if (plan.argv.size() > 1 && programOf(plan) != plan.argv.front()) {
        p.uses.insert(QStringLiteral("std::os::unix::process::CommandExt"));
        p.command.line(
            QStringLiteral("command.arg0(%1);").arg(rustString(plan.argv.front(), p.uses)));
    }
    QStringList args;
    bool text = true;
    for (std::size_t i = 1; i < plan.argv.size(); ++i) {
        args.append(rustString(plan.argv[i], p.uses));
        text = text && isUtf8(plan.argv[i]);
    }
    if (text && !args.isEmpty())
        p.command.line(QStringLiteral("command.args([%1]);").arg(args.join(", ")));
    for (const QString &arg : text ? QStringList() : args)
        p.command.line(QStringLiteral("command.arg(%1);").arg(arg));
    if (!plan.cwd.empty())
        p.command.line(
            QStringLiteral("command.current_dir(%1);").arg(rustString(plan.cwd, p.uses)));
    if (!plan.env.inherit)
        p.command.line(QStringLiteral("command.env_clear();"));
    else
        for (const auto &name : plan.env.unset)
            p.command.line(QStringLiteral("command.env_remove(%1);").arg(rustString(name, p.uses)));
    for (const auto &[name, value] : plan.env.set)
        p.command.line(QStringLiteral("command.env(%1, %2);")
                           .arg(rustString(name, p.uses), rustString(value, p.uses)));
}

void addSession(const SpawnPlan &plan, RustProgram &p)
{
    if (plan.setsid) {
        p.notes.append(QStringLiteral("CommandExt::setsid is nightly-only (process_setsid): "
                                      "pre_exec calls setsid()."));
        p.sys.insert(QStringLiteral("setsid"));
        p.preExec.append(QStringLiteral("check(sys::setsid())?;"));
    }
    if (plan.pgid && plan.setsid) {
        // After setsid: process_group would run first, and a group leader cannot setsid.
        p.sys.insert(QStringLiteral("setpgid"));
        p.preExec.append(QStringLiteral("check(sys::setpgid(0, %1))?;").arg(*plan.pgid));
    } else if (plan.pgid) {
        p.uses.insert(QStringLiteral("std::os::unix::process::CommandExt"));
        p.command.line(QStringLiteral("command.process_group(%1);").arg(*plan.pgid));
    }
    if (plan.umask) {
        p.notes.append(QStringLiteral("Command cannot express umask: pre_exec sets it."));
        p.sys.insert(QStringLiteral("umask"));
        p.preExec.append(
            QStringLiteral("sys::umask(0o%1);").arg(unsigned(*plan.umask), 3, 8, QLatin1Char('0')));
    }
}

QString rustLimit(rlim_t value)
{
    return value == RLIM_INFINITY ? QStringLiteral("u64::MAX") : QString::number(quint64(value));
}

void addRlimits(const SpawnPlan &plan, RustProgram &p)
{
    if (plan.rlimits.empty()) return;
    const bool idsFirst = plan.credentials && !plan.credentials->groups;
    p.notes.append(QStringLiteral("Command cannot express rlimits: pre_exec sets them%1.")
                       .arg(idsFirst ? QStringLiteral(", after std has set uid and gid, so a "
                                                      "limit the new user may not raise fails "
                                                      "there")
                                     : QString()));
    p.sys.insert(QStringLiteral("setrlimit"));
    for (const RlimitSetting &r : plan.rlimits)
        p.preExec.append(
            QStringLiteral("check(sys::setrlimit(%1 /* %2 */, &[%3, %4]))?;")
                .arg(r.resource)
                .arg(rlimitConstant(r.resource), rustLimit(r.soft), rustLimit(r.hard)));
}

void addCredentials(const SpawnPlan &plan, RustProgram &p)
{
    if (!plan.credentials) return;
    const Credentials &c = *plan.credentials;
    if (!c.groups) {
        p.uses.insert(QStringLiteral("std::os::unix::process::CommandExt"));
        if (c.gid) p.command.line(QStringLiteral("command.gid(%1);").arg(*c.gid));
        if (c.uid) p.command.line(QStringLiteral("command.uid(%1);").arg(*c.uid));
        if (c.uid)
            p.notes.append(QStringLiteral("std drops the supplementary groups when root sets a "
                                          "uid without groups; the plan keeps them."));
        return;
    }
    p.notes.append(QStringLiteral("CommandExt::groups is nightly-only (feature setgroups): "
                                  "pre_exec sets groups, gid and uid, in that order."));
    QStringList groups;
    for (gid_t g : *c.groups)
        groups.append(QString::number(g));
    p.sys.insert(QStringLiteral("setgroups"));
    p.preExec.append(QStringLiteral("check(sys::setgroups(%1, [%2].as_ptr()))?;")
                         .arg(groups.size())
                         .arg(groups.isEmpty() ? QStringLiteral("0u32; 0") : groups.join(", ")));
    if (c.gid) {
        p.sys.insert(QStringLiteral("setgid"));
        p.preExec.append(QStringLiteral("check(sys::setgid(%1))?;").arg(*c.gid));
    }
    if (c.uid) {
        p.sys.insert(QStringLiteral("setuid"));
        p.preExec.append(QStringLiteral("check(sys::setuid(%1))?;").arg(*c.uid));
    }
}

void addSignals(const SpawnPlan &plan, RustProgram &p)
{
    if (!hasSignalChanges(plan)) return;
    const SignalSpec &sig = plan.signals;
    p.notes.append(QStringLiteral("Command cannot express signals: pre_exec sets them, after std "
                                  "has emptied the child's mask and reset SIGPIPE."));
    auto dispose = [&p](const std::vector<int> &signals, const char *disposition) {
        for (int n : signals) {
            p.sys.insert(QStringLiteral("signal"));
            p.preExec.append(QStringLiteral("if sys::signal(%1, sys::%2) == sys::SIG_ERR {")
                                 .arg(rustSignal(n), QLatin1String(disposition)));
            p.preExec.append(QStringLiteral("    return Err(io::Error::last_os_error());"));
            p.preExec.append(QStringLiteral("}"));
        }
    };
    dispose(sig.ignore, "SIG_IGN");
    dispose(sig.setDefault, "SIG_DFL");
    if (!sig.block) return;
    p.sys.insert(QStringLiteral("sigprocmask"));
    p.setup.line(QStringLiteral("let mut mask = sys::SigSet([0; 16]);"));
    p.setup.line(QStringLiteral("unsafe {"));
    p.setup.line(QStringLiteral("    sys::sigemptyset(&mut mask);"));
    for (int n : *sig.block)
        p.setup.line(QStringLiteral("    sys::sigaddset(&mut mask, %1);").arg(rustSignal(n)));
    p.setup.line(QStringLiteral("}"));
    p.preExec.append(QStringLiteral("check(sys::sigprocmask(sys::SIG_SETMASK, &mask, "
                                    "std::ptr::null_mut()))?;"));
}

} // namespace

QString exportRust(const SpawnPlan &plan)
{
    RustProgram p;
    addProgram(plan, p);
    addSession(plan, p);
    addRustFds(plan, p);
    addRlimits(plan, p);
    addCredentials(plan, p);
    addSignals(plan, p);
    if (plan.timeoutMs > 0)
        p.notes.append(QStringLiteral("std cannot express timeout_ms: Child has no wait with a "
                                      "timeout (poll try_wait, then kill)."));
    p.named = fdLayout(plan).named;
    return assembleRust(plan, p);
}

} // namespace spawnlab::codeexport
