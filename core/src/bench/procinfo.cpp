// SPDX-License-Identifier: GPL-3.0-or-later
#include "procinfo.h"

#include "spawnlab/bench.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <gnu/libc-version.h>

#include <algorithm>
#include <filesystem>
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

long long mappingCount()
{
    std::ifstream in("/proc/self/maps");
    if (!in) return -1;
    long long lines = 0;
    std::string line;
    while (std::getline(in, line))
        ++lines;
    return lines;
}

std::string systemThpMode()
{
    const std::string line = detail::readFirstLine("/sys/kernel/mm/transparent_hugepage/enabled");
    const auto open = line.find('['), close = line.find(']');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return "unavailable";
    return line.substr(open + 1, close - open - 1);
}

namespace {

std::string firstLine(const std::string &path)
{
    std::ifstream file(path);
    std::string line;
    std::getline(file, line);
    return line;
}

// What the machine is: DMI names the hypervisor when there is one
// (Firecracker has no DMI; the cpuinfo "hypervisor" flag still says so).
std::string machineKind(bool hypervisorFlag)
{
    const std::string vendor = firstLine("/sys/class/dmi/id/sys_vendor");
    const std::string product = firstLine("/sys/class/dmi/id/product_name");
    for (const char *vm : {"QEMU", "KVM", "VMware", "VirtualBox", "Xen", "Microsoft", "Amazon EC2",
                           "Google", "innotek"})
        if (vendor.find(vm) != std::string::npos || product.find(vm) != std::string::npos)
            return "vm (" + (vendor.empty() ? product : vendor) + ")";
    if (hypervisorFlag) return "vm (hypervisor flag)";
    return "bare metal";
}

} // namespace

Meta collectMeta()
{
    Meta meta;
    utsname name{};
    if (uname(&name) == 0)
        meta.kernel = std::string(name.sysname) + " " + name.release + " " + name.version + " " +
                      name.machine;
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    bool hypervisor = false;
    while (std::getline(cpuinfo, line)) {
        if (line.compare(0, 5, "flags") == 0) {
            hypervisor = (line + " ").find(" hypervisor ") != std::string::npos;
            break; // after the model name
        }
        if (line.compare(0, 10, "model name") != 0 || !meta.cpu.empty()) continue;
        const auto value = line.find_first_not_of(" \t", line.find(':') + 1);
        if (value != std::string::npos) meta.cpu = line.substr(value);
    }
    meta.glibc = gnu_get_libc_version();
    meta.machine = machineKind(hypervisor);
    const std::string dir = "/sys/devices/system/cpu/vulnerabilities";
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec))
        meta.vulnerabilities.emplace_back(entry.path().filename().string(),
                                          firstLine(entry.path().string()));
    std::sort(meta.vulnerabilities.begin(), meta.vulnerabilities.end());
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    meta.cpu += (meta.cpu.empty() ? "" : ", ") + std::to_string(cpus) + " online";
    meta.thpSystem = systemThpMode();
    return meta;
}

} // namespace spawnlab::bench
