// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/environment.h"

#include <unistd.h>

#include <algorithm>
#include <string_view>

namespace spawnlab::detail {
namespace {

// What execvp uses when PATH is not set (glibc and CPython's os.defpath).
constexpr std::string_view kDefaultPath = "/bin:/usr/bin";

std::string_view nameOf(std::string_view entry)
{
    return entry.substr(0, entry.find('='));
}

} // namespace

std::vector<char *> childEnvironment(const EnvSpec &env, std::vector<std::string> &storage)
{
    std::vector<char *> result;
    if (env.inherit) {
        std::size_t count = 0;
        for (char **e = environ; e && *e; ++e)
            ++count;
        // One allocation: this runs once per spawn, with ~40 entries.
        result.reserve(count + env.set.size() + 1);
        for (char **e = environ; e && *e; ++e)
            if (inheritsVariable(env, *e)) result.push_back(*e);
    }
    storage.clear();
    storage.reserve(env.set.size()); // no reallocation: result points into it
    for (const auto &[name, value] : env.set) {
        storage.push_back(name + "=" + value);
        result.push_back(storage.back().data());
    }
    return result;
}

const char *findVariable(char *const *env, std::string_view name)
{
    for (; env && *env; ++env) {
        const char *e = *env;
        const std::string_view entry(e);
        if (nameOf(entry) == name && entry.size() > name.size()) return e + name.size() + 1;
    }
    return nullptr;
}

} // namespace spawnlab::detail

namespace spawnlab {

bool inheritsVariable(const EnvSpec &env, std::string_view entry)
{
    if (!env.inherit) return false;
    if (env.unset.empty() && env.set.empty()) return true; // the usual plan: no scan per entry
    const std::string_view name = detail::nameOf(entry);
    for (const auto &n : env.unset)
        if (n == name) return false;
    for (const auto &kv : env.set)
        if (kv.first == name) return false;
    return true;
}

std::vector<std::string> execCandidates(const std::string &executable, const char *childPath)
{
    if (executable.find('/') != std::string::npos) return {executable};
    std::string_view dirs = childPath ? std::string_view(childPath) : detail::kDefaultPath;
    std::vector<std::string> candidates;
    for (;;) {
        auto colon = dirs.find(':');
        std::string_view dir = dirs.substr(0, colon);
        std::string candidate = dir.empty() ? "." : std::string(dir);
        candidates.push_back(candidate + "/" + executable);
        if (colon == std::string_view::npos) break;
        dirs.remove_prefix(colon + 1);
    }
    return candidates;
}

} // namespace spawnlab
