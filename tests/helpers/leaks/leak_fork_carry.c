// SPDX-License-Identifier: GPL-3.0-or-later
/* A file opened without O_CLOEXEC is carried by a fork without exec, then a
 * second fork, into `true`: the origin is the first process. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

static int waitFor(pid_t pid)
{
    int status = 0;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status);
}

int main(void)
{
    if (open("/dev/null", O_WRONLY) < 0) return 1;
    pid_t middle = fork();
    if (middle == 0) {
        pid_t last = fork();
        if (last == 0) {
            execlp("true", "true", (char *)NULL);
            _exit(127);
        }
        _exit(waitFor(last) ? 0 : 1);
    }
    return waitFor(middle) ? 0 : 1;
}
