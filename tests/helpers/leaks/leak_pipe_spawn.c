/* A pipe made without O_CLOEXEC reaches a sleep child through posix_spawnp:
 * both ends cross the exec. */
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
    int p[2];
    if (pipe(p) != 0) return 1;
    char *argv[] = {"sleep", "0", NULL};
    pid_t pid;
    if (posix_spawnp(&pid, "sleep", NULL, NULL, argv, environ) != 0) return 1;
    return waitpid(pid, NULL, 0) == pid ? 0 : 1;
}
