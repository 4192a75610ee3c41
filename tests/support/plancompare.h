// SPDX-License-Identifier: GPL-3.0-or-later
// Field-by-field SpawnPlan comparison for tests: names the first field that
// differs, so a failed round trip says where.
#pragma once

#include "spawnlab/plan.h"

#include <QString>

#include <tuple>

namespace spawnlab::test {

inline auto fields(const FdAction &a)
{
    return std::tie(a.fd, a.action, a.from, a.path, a.flags, a.mode, a.input);
}
inline auto fields(const RlimitSetting &r)
{
    return std::tie(r.resource, r.soft, r.hard);
}

template <typename T> bool sameList(const std::vector<T> &a, const std::vector<T> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const T &x, const T &y) { return fields(x) == fields(y); });
}

inline bool sameCredentials(const std::optional<Credentials> &a,
                            const std::optional<Credentials> &b)
{
    if (!a || !b) return a.has_value() == b.has_value();
    return a->uid == b->uid && a->gid == b->gid && a->groups == b->groups;
}

// Empty when equal, else the plan-file key of the first difference.
inline QString planDifference(const SpawnPlan &a, const SpawnPlan &b)
{
    const std::pair<bool, const char *> checks[] = {
        {a.argv == b.argv, "argv"},
        {a.executable == b.executable, "executable"},
        {a.env.inherit == b.env.inherit, "env.inherit"},
        {a.env.set == b.env.set, "env.set"},
        {a.env.unset == b.env.unset, "env.unset"},
        {a.cwd == b.cwd, "cwd"},
        {a.umask == b.umask, "umask"},
        {sameList(a.fds, b.fds), "fds"},
        {a.closeFds == b.closeFds, "close_fds"},
        {a.passFds == b.passFds, "pass_fds"},
        {a.closeMethod == b.closeMethod, "close_method"},
        {a.signals.block == b.signals.block, "signals.block"},
        {a.signals.setDefault == b.signals.setDefault, "signals.default"},
        {a.signals.ignore == b.signals.ignore, "signals.ignore"},
        {a.signals.resetHandlers == b.signals.resetHandlers, "signals.reset_handlers"},
        {a.setsid == b.setsid, "setsid"},
        {a.pgid == b.pgid, "pgid"},
        {sameCredentials(a.credentials, b.credentials), "credentials"},
        {sameList(a.rlimits, b.rlimits), "rlimits"},
        {a.strategy == b.strategy, "strategy"},
        {a.inspect == b.inspect, "inspect"},
        {a.timeoutMs == b.timeoutMs, "timeout_ms"},
        {a.captureLimitBytes == b.captureLimitBytes, "capture_limit_bytes"},
        {a.notes == b.notes, "notes"},
    };
    for (const auto &[same, key] : checks)
        if (!same) return QString::fromLatin1(key);
    return {};
}

} // namespace spawnlab::test
