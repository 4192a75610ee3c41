// SPDX-License-Identifier: GPL-3.0-or-later
// Every process on the machine, as a process picker lists them.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace spawnlab {

struct ProcessSummary {
    pid_t pid = 0;
    uid_t uid = 0;
    std::string comm;    // /proc/PID/comm
    std::string command; // /proc/PID/cmdline, words joined by spaces
    int fdCount = -1;    // -1: its fds may not be read
};

// By pid; kernel threads (no cmdline) and processes that exit meanwhile are left out.
std::vector<ProcessSummary> listProcesses();

} // namespace spawnlab
