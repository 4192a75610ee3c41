// SPDX-License-Identifier: GPL-3.0-or-later
// Saving plan files: SpawnPlan -> indented JSON with only what differs from defaults.
#include "plan/planfile.h"

#include "qs.h"

#include "plan/jsonwriter.h"
#include "spawnlab/names.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cstdint>

namespace spawnlab {
namespace {

// Plan keys in DESIGN.md's table order, then those of fds entries, env, signals
// and credentials; env names and rlimits follow alphabetically.
// clang-format off
const QStringList keyOrder = {
    "spawnlab_plan", "argv", "executable", "env", "cwd", "umask", "fds", "close_fds", "pass_fds",
    "close_method", "signals", "setsid", "pgid", "credentials", "rlimits", "strategy", "inspect",
    "timeout_ms", "capture_limit_bytes", "notes",
    "fd", "action", "from", "path", "flags", "mode", "input",
    "inherit", "set", "unset",
    "block", "default", "ignore", "reset_handlers",
    "uid", "gid", "groups"};
// clang-format on

QJsonArray strings(const std::vector<std::string> &list)
{
    QJsonArray out;
    for (const auto &s : list)
        out.append(qs(s));
    return out;
}

template <typename T> QJsonArray numbers(const std::vector<T> &list)
{
    QJsonArray out;
    for (T n : list)
        out.append(qint64(n));
    return out;
}

QJsonArray signalNames(const std::vector<int> &signals)
{
    QJsonArray out;
    for (int sig : signals)
        out.append(qs(signalName(sig)));
    return out;
}

QJsonValue limit(rlim_t value)
{
    if (value == RLIM_INFINITY) return QStringLiteral("unlimited");
    // Above INT64_MAX only "unlimited" is expressible; the loader rejects the double.
    return value <= rlim_t(INT64_MAX) ? QJsonValue(qint64(value)) : QJsonValue(double(value));
}

QJsonObject fdToJson(const FdAction &a)
{
    QJsonObject o{{"fd", a.fd}, {"action", qs(fdActionName(a.action))}};
    switch (a.action) {
    case FdActionKind::Dup:
        o.insert("from", a.from);
        break;
    case FdActionKind::Open: {
        QJsonArray flags;
        for (const auto &flag : openFlagNames(a.flags))
            flags.append(qs(flag));
        o.insert("path", qs(a.path));
        o.insert("flags", flags);
        if (a.mode != FdAction{}.mode) o.insert("mode", qsOctal(a.mode));
        break;
    }
    case FdActionKind::PipeIn:
        if (!a.input.empty()) o.insert("input", qs(a.input));
        break;
    case FdActionKind::Close:
    case FdActionKind::Null:
    case FdActionKind::PipeOut:
        break;
    }
    return o;
}

QJsonObject planToJson(const SpawnPlan &p)
{
    const SpawnPlan d; // the defaults
    QJsonObject o{{"spawnlab_plan", planFormatVersion}, {"argv", strings(p.argv)}};
    if (!p.executable.empty()) o.insert("executable", qs(p.executable));

    QJsonObject env;
    if (p.env.inherit != d.env.inherit) env.insert("inherit", p.env.inherit);
    if (!p.env.set.empty()) {
        QJsonObject set;
        for (const auto &[key, value] : p.env.set)
            set.insert(qs(key), qs(value));
        env.insert("set", set);
    }
    if (!p.env.unset.empty()) env.insert("unset", strings(p.env.unset));
    if (!env.isEmpty()) o.insert("env", env);

    if (!p.cwd.empty()) o.insert("cwd", qs(p.cwd));
    if (p.umask) o.insert("umask", qsOctal(*p.umask));
    if (!p.fds.empty()) {
        QJsonArray fds;
        for (const FdAction &a : p.fds)
            fds.append(fdToJson(a));
        o.insert("fds", fds);
    }
    if (p.closeFds != d.closeFds) o.insert("close_fds", p.closeFds);
    if (!p.passFds.empty()) o.insert("pass_fds", numbers(p.passFds));
    if (p.closeMethod != d.closeMethod)
        o.insert("close_method", qs(closeMethodName(p.closeMethod)));

    QJsonObject sig;
    if (p.signals.block) sig.insert("block", signalNames(*p.signals.block));
    if (!p.signals.setDefault.empty()) sig.insert("default", signalNames(p.signals.setDefault));
    if (!p.signals.ignore.empty()) sig.insert("ignore", signalNames(p.signals.ignore));
    if (p.signals.resetHandlers != d.signals.resetHandlers)
        sig.insert("reset_handlers", p.signals.resetHandlers);
    if (!sig.isEmpty()) o.insert("signals", sig);

    if (p.setsid != d.setsid) o.insert("setsid", p.setsid);
    if (p.pgid) o.insert("pgid", qint64(*p.pgid));
    if (p.credentials) {
        QJsonObject cred;
        if (p.credentials->uid) cred.insert("uid", qint64(*p.credentials->uid));
        if (p.credentials->gid) cred.insert("gid", qint64(*p.credentials->gid));
        if (p.credentials->groups) cred.insert("groups", numbers(*p.credentials->groups));
        o.insert("credentials", cred);
    }
    if (!p.rlimits.empty()) {
        QJsonObject limits;
        for (const RlimitSetting &l : p.rlimits)
            limits.insert(qs(rlimitName(l.resource)), QJsonArray{limit(l.soft), limit(l.hard)});
        o.insert("rlimits", limits);
    }
    if (p.strategy != d.strategy) o.insert("strategy", qs(strategyName(p.strategy)));
    if (!p.inspect.empty()) {
        QJsonArray inspect;
        for (InspectPoint point : p.inspect)
            inspect.append(qs(inspectPointName(point)));
        o.insert("inspect", inspect);
    }
    if (p.timeoutMs != d.timeoutMs) o.insert("timeout_ms", p.timeoutMs);
    if (p.captureLimitBytes != d.captureLimitBytes)
        o.insert("capture_limit_bytes", qint64(p.captureLimitBytes));
    if (!p.notes.empty()) o.insert("notes", strings(p.notes));
    return o;
}

} // namespace

QByteArray savePlan(const SpawnPlan &plan)
{
    return indentedJson(planToJson(plan), keyOrder);
}

} // namespace spawnlab
