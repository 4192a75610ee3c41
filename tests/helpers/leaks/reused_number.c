// SPDX-License-Identifier: GPL-3.0-or-later
/* An fd number closed and reused by a close-on-exec open (calls the tracer's
 * filter lets pass), then dup'd without the flag into `true`: the leak's
 * origin is the dup of the second file, not the first open of that number. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int first = open("/dev/null", O_RDONLY); /* traced: no O_CLOEXEC */
    if (first < 0 || close(first) != 0) return 1;
    int second = open("/dev/zero", O_RDONLY | O_CLOEXEC); /* the same number, untraced */
    if (second != first || dup(second) < 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        execlp("true", "true", (char *)NULL);
        _exit(127);
    }
    return waitpid(pid, NULL, 0) == pid ? 0 : 1;
}
