// SPDX-License-Identifier: GPL-3.0-or-later
/* A pipe made without O_CLOEXEC reaches a sleep child through posix_spawnp:
 * both ends cross the exec. The pipe is made in a function of its own, so that
 * trace --stacks has a name to find. */
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

__attribute__((noinline)) int make_leaky_pipe(int p[2])
{
    return pipe(p);
}

int main(void)
{
    int p[2];
    if (make_leaky_pipe(p) != 0) return 1;
    char *argv[] = {"sleep", "0", NULL};
    pid_t pid;
    if (posix_spawnp(&pid, "sleep", NULL, NULL, argv, environ) != 0) return 1;
    return waitpid(pid, NULL, 0) == pid ? 0 : 1;
}
