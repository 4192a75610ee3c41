// SPDX-License-Identifier: GPL-3.0-or-later
#include "procinfo.h"

#include "spawnlab/bench.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

namespace spawnlab::bench {
namespace detail {

long long readKbField(const char *path, const std::string &key)
{
    std::ifstream in(path);
    std::string line;
    const std::string prefix = key + ":";
    while (std::getline(in, line)) {
        if (line.compare(0, prefix.size(), prefix) != 0) continue;
        try {
            return std::stoll(line.substr(prefix.size()));
        } catch (...) {
            return -1;
        }
    }
    return -1;
}

long long memAvailableKb()
{
    return readKbField("/proc/meminfo", "MemAvailable");
}

std::string readFirstLine(const char *path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

} // namespace detail

long long residentKb()
{
    return detail::readKbField("/proc/self/status", "VmRSS");
}

long long anonHugeKb()
{
    return detail::readKbField("/proc/self/smaps_rollup", "AnonHugePages");
}

std::string systemThpMode()
{
    const std::string line = detail::readFirstLine("/sys/kernel/mm/transparent_hugepage/enabled");
    const auto open = line.find('['), close = line.find(']');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return "unavailable";
    return line.substr(open + 1, close - open - 1);
}

Meta collectMeta()
{
    Meta meta;
    utsname name{};
    if (uname(&name) == 0)
        meta.kernel = std::string(name.sysname) + " " + name.release + " " + name.version + " " +
                      name.machine;
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.compare(0, 10, "model name") != 0) continue;
        const auto value = line.find_first_not_of(" \t", line.find(':') + 1);
        if (value != std::string::npos) meta.cpu = line.substr(value);
        break;
    }
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    meta.cpu += (meta.cpu.empty() ? "" : ", ") + std::to_string(cpus) + " online";
    meta.thpSystem = systemThpMode();
    return meta;
}

} // namespace spawnlab::bench
