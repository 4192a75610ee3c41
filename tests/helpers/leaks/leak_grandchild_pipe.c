// SPDX-License-Identifier: GPL-3.0-or-later
/* The no-EOF case: the child's shell starts a background sleep that inherits
 * the pipe's write end, so the reader here waits for the sleep, not the shell. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    if (pipe(p) != 0) return 1;
    pid_t child = fork();
    if (child == 0) {
        close(p[0]);
        execlp("sh", "sh", "-c", "sleep 0.3 & exit 0", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    char byte;
    while (read(p[0], &byte, 1) > 0) {
    }
    return waitpid(child, NULL, 0) == child ? 0 : 1;
}
