// SPDX-License-Identifier: GPL-3.0-or-later
#include "spawnlab/processes.h"

#include "procfs/proc_text.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

namespace spawnlab {
namespace {

int countFds(const std::string &dir)
{
    DIR *fds = ::opendir(dir.c_str());
    if (!fds) return -1;
    int count = 0;
    while (const dirent *e = ::readdir(fds))
        count += e->d_name[0] != '.';
    ::closedir(fds);
    return count;
}

} // namespace

std::vector<ProcessSummary> listProcesses()
{
    std::vector<ProcessSummary> out;
    DIR *proc = ::opendir("/proc");
    if (!proc) return out;
    while (const dirent *e = ::readdir(proc)) {
        char *end = nullptr;
        const long pid = std::strtol(e->d_name, &end, 10);
        if (pid <= 0 || *end) continue;
        const std::string dir = "/proc/" + std::string(e->d_name);
        std::string command = detail::readFile(AT_FDCWD, dir + "/cmdline").text;
        struct stat st {
        };
        if (command.empty() || ::stat(dir.c_str(), &st) != 0) continue; // kernel thread, or gone
        std::replace(command.begin(), command.end(), '\0', ' ');
        while (!command.empty() && command.back() == ' ')
            command.pop_back();
        out.push_back(
            {pid_t(pid), st.st_uid, detail::commOf(pid_t(pid)), command, countFds(dir + "/fd")});
    }
    ::closedir(proc);
    std::sort(out.begin(), out.end(),
              [](const ProcessSummary &a, const ProcessSummary &b) { return a.pid < b.pid; });
    return out;
}

} // namespace spawnlab
