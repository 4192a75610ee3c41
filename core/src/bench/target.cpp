// SPDX-License-Identifier: GPL-3.0-or-later
// Where the no-op target program is, and whether a path can be exec'd.
#include "spawnlab/bench.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace spawnlab::bench {
namespace {

std::string executableDir()
{
    char path[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return {};
    const std::string exe(path, std::size_t(n));
    return exe.substr(0, exe.rfind('/'));
}

// Installed next to spawnlab-cli; in a build tree, where CMake put it.
std::string builtProgram(const char *name, const char *buildPath)
{
    const std::string beside = executableDir() + "/" + name;
    if (access(beside.c_str(), X_OK) == 0) return beside;
    return buildPath;
}

} // namespace

std::string defaultTarget()
{
    return builtProgram("spawnlab-noop", SPAWNLAB_NOOP_PATH);
}

std::string floorTarget()
{
    return builtProgram("spawnlab-noop-floor", SPAWNLAB_NOOP_FLOOR_PATH);
}

std::string resolveTarget(const std::string &choice)
{
    if (choice.empty()) return defaultTarget();
    if (choice == "floor") return floorTarget();
    // A bare name stays one: checkTarget says to give a path.
    if (choice.find('/') == std::string::npos) return choice;
    std::error_code error;
    const std::filesystem::path absolute = std::filesystem::absolute(choice, error);
    return error ? choice : absolute.lexically_normal().string();
}

bool defaultTargetIsStatic()
{
    return SPAWNLAB_NOOP_STATIC != 0;
}

std::string checkTarget(const std::string &path)
{
    if (path.empty()) return "no program given";
    if (path.find('/') == std::string::npos)
        return "\"" + path + "\" is not a path (give ./" + path + " or an absolute path)";
    struct stat st {
    };
    if (stat(path.c_str(), &st) != 0) return "\"" + path + "\": " + std::strerror(errno);
    if (!S_ISREG(st.st_mode)) return "\"" + path + "\" is not a regular file";
    if (access(path.c_str(), X_OK) != 0) return "\"" + path + "\" is not executable";
    return {};
}

} // namespace spawnlab::bench
