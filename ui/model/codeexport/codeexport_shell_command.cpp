// SPDX-License-Identifier: GPL-3.0-or-later
// The shell export's command: what bash cannot do itself is done by a chain
// of wrappers that each exec the next (timeout, setsid, prlimit, setpriv,
// env), after the script's own cd, umask and trap.
#include "codeexport/codeexport_shell.h"

namespace spawnlab::codeexport {
namespace {

QString shLimit(rlim_t value)
{
    return value == RLIM_INFINITY ? QStringLiteral("unlimited") : QString::number(quint64(value));
}

void addSignals(const SpawnPlan &plan, ShellScript &s, QStringList &envOptions)
{
    const SignalSpec &sig = plan.signals;
    if (!sig.ignore.empty()) {
        s.setup.comment(QStringLiteral("signals.ignore: an ignored signal stays ignored in the "
                                       "commands bash runs."));
        s.setup.line(QStringLiteral("trap '' ") + shSignals(sig.ignore, QStringLiteral(" ")));
    }
    if (!sig.setDefault.empty()) {
        s.notes.append(QStringLiteral("signals.default: bash cannot undo an ignore it inherited "
                                      "(trap - only undoes its own traps); GNU env "
                                      "--default-signal does it for the command."));
        envOptions.append(QStringLiteral("--default-signal=") +
                          shSignals(sig.setDefault, QStringLiteral(",")));
    }
    if (!sig.block) return;
    if (sig.block->empty()) {
        s.notes.append(QStringLiteral("bash cannot express signals.block (an empty mask): it "
                                      "cannot unblock signals for a command, and env can only "
                                      "block more."));
        return;
    }
    s.notes.append(QStringLiteral("bash cannot express signals.block (the child's signal mask); "
                                  "GNU env (coreutils 8.31+) --block-signal blocks them for the "
                                  "command, adding to the mask bash passes on."));
    envOptions.append(QStringLiteral("--block-signal=") +
                      shSignals(*sig.block, QStringLiteral(",")));
}

QString envWrapper(const SpawnPlan &plan, const QStringList &signalOptions)
{
    const EnvSpec &env = plan.env;
    if (env.inherit && env.set.empty() && env.unset.empty() && signalOptions.isEmpty()) return {};
    QStringList words{QStringLiteral("env")};
    if (!env.inherit)
        words.append(QStringLiteral("-i"));
    else
        for (const auto &name : env.unset)
            words.append(QStringLiteral("-u ") + sh(name));
    words += signalOptions;
    words.append(QStringLiteral("--"));
    for (const auto &[name, value] : env.set)
        words.append(sh(name + "=" + value));
    return words.join(QLatin1Char(' '));
}

QString credentialsWrapper(const Credentials &c)
{
    QStringList words{QStringLiteral("setpriv")};
    if (c.uid) words.append(QStringLiteral("--reuid=%1").arg(*c.uid));
    if (c.gid) words.append(QStringLiteral("--regid=%1").arg(*c.gid));
    if (c.groups && c.groups->empty()) words.append(QStringLiteral("--clear-groups"));
    QStringList groups;
    for (gid_t g : c.groups.value_or(std::vector<gid_t>{}))
        groups.append(QString::number(g));
    if (!groups.isEmpty())
        words.append(QStringLiteral("--groups=") + groups.join(QLatin1Char(',')));
    if (!c.groups && c.gid) words.append(QStringLiteral("--keep-groups"));
    words.append(QStringLiteral("--"));
    return words.join(QLatin1Char(' '));
}

} // namespace

void addShellWrappers(const SpawnPlan &plan, ShellScript &s)
{
    if (plan.timeoutMs > 0) // --foreground: timeout would otherwise give the child its own group
        s.wrappers.append(
            QStringLiteral("timeout --foreground -s KILL %1s").arg(plan.timeoutMs / 1000.0));
    if (plan.setsid) s.wrappers.append(QStringLiteral("setsid -w"));
    if (plan.pgid)
        s.notes.append(QStringLiteral("a shell cannot express pgid %1: bash gives a command a "
                                      "process group of its own only with job control, and never "
                                      "an existing one.")
                           .arg(*plan.pgid));
    if (!plan.rlimits.empty()) {
        QStringList words{QStringLiteral("prlimit")};
        for (const RlimitSetting &r : plan.rlimits)
            words.append(QStringLiteral("--%1=%2:%3")
                             .arg(rlimitText(r.resource), shLimit(r.soft), shLimit(r.hard)));
        s.wrappers.append(words.join(QLatin1Char(' ')) + QStringLiteral(" --"));
    }
    if (plan.credentials) s.wrappers.append(credentialsWrapper(*plan.credentials));
    QStringList signalOptions;
    addSignals(plan, s, signalOptions);
    const QString env = envWrapper(plan, signalOptions);
    if (!env.isEmpty()) s.wrappers.append(env);
}

QString shellCommandLine(const SpawnPlan &plan, ShellScript &s)
{
    QStringList words{QStringLiteral("exec")};
    const std::string program = programOf(plan);
    const bool renamed = !plan.argv.empty() && program != plan.argv.front();
    if (renamed && s.wrappers.isEmpty())
        words.append(QStringLiteral("-a ") + sh(plan.argv.front()));
    if (renamed && !s.wrappers.isEmpty())
        s.notes.append(QStringLiteral("a shell cannot express argv[0] %1 behind a wrapper "
                                      "(exec -a names only the first program).")
                           .arg(sh(plan.argv.front())));
    words += s.wrappers;
    words.append(sh(program));
    for (std::size_t i = 1; i < plan.argv.size(); ++i)
        words.append(sh(plan.argv[i]));
    return (words + s.redirects).join(QLatin1Char(' '));
}

} // namespace spawnlab::codeexport
