// SPDX-License-Identifier: GPL-3.0-or-later
#include "spawnlab/descendants.h"

#include <dirent.h> // getdents64 and its struct dirent64 records
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace spawnlab {
namespace {

// Deep enough for the runtimes series (worker, driver, target) with room;
// bounded because the stack buffers below are per level.
constexpr int kMaxDepth = 8;

// "/proc/" PID "/task", or PID/TID/"children", built without snprintf.
char *appendNumber(char *at, long value)
{
    char digits[24];
    int n = 0;
    do
        digits[n++] = char('0' + value % 10);
    while ((value /= 10) > 0);
    while (n > 0)
        *at++ = digits[--n];
    return at;
}

char *appendText(char *at, const char *text)
{
    while (*text)
        *at++ = *text++;
    return at;
}

void killTree(pid_t pid, int depth);

// Kills the children listed in one thread's "children" file, each after its own.
void killChildrenOf(int taskDir, const char *tid, int depth)
{
    char path[64];
    *appendText(appendText(path, tid), "/children") = '\0';
    const int fd = openat(taskDir, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    char text[4096];
    const ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return;
    long child = 0;
    for (ssize_t i = 0; i <= n; ++i) {
        if (i < n && text[i] >= '0' && text[i] <= '9') {
            child = child * 10 + (text[i] - '0');
        } else if (child > 0) {
            killTree(pid_t(child), depth + 1);
            child = 0;
        }
    }
}

void killTree(pid_t pid, int depth)
{
    if (depth < kMaxDepth) {
        char path[64];
        *appendText(appendNumber(appendText(path, "/proc/"), pid), "/task") = '\0';
        const int taskDir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (taskDir >= 0) {
            alignas(8) char entries[2048];
            ssize_t n;
            while ((n = getdents64(taskDir, entries, sizeof entries)) > 0)
                for (ssize_t at = 0; at < n;) {
                    const auto *e = reinterpret_cast<const dirent64 *>(entries + at);
                    at += e->d_reclen;
                    if (e->d_name[0] != '.') killChildrenOf(taskDir, e->d_name, depth);
                }
            close(taskDir);
        }
    }
    if (depth > 0) kill(pid, SIGKILL);
}

} // namespace

void killDescendants(pid_t pid)
{
    killTree(pid, 0);
}

} // namespace spawnlab
