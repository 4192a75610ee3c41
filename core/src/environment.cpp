#include "environment.h"

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

std::vector<std::string> childEnvironment(const EnvSpec &env)
{
    std::vector<std::string> result;
    if (env.inherit)
        for (char **e = environ; e && *e; ++e)
            result.emplace_back(*e);
    auto removeName = [&result](std::string_view name) {
        std::erase_if(result, [name](const std::string &e) { return nameOf(e) == name; });
    };
    for (const auto &name : env.unset)
        removeName(name);
    for (const auto &[name, value] : env.set) {
        removeName(name);
        result.push_back(name + "=" + value);
    }
    return result;
}

const char *findVariable(const std::vector<std::string> &env, const std::string &name)
{
    for (const auto &e : env)
        if (nameOf(e) == name && e.size() > name.size()) return e.c_str() + name.size() + 1;
    return nullptr;
}

std::vector<std::string> execCandidates(const std::string &executable,
                                        const std::vector<std::string> &childEnv)
{
    if (executable.find('/') != std::string::npos) return {executable};
    const char *path = findVariable(childEnv, "PATH");
    std::string_view dirs = path ? std::string_view(path) : kDefaultPath;
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

} // namespace spawnlab::detail
