// SPDX-License-Identifier: GPL-3.0-or-later
/* The close-on-exec race: the main thread makes a socket without
 * SOCK_CLOEXEC and marks it with fcntl only after another thread has forked
 * and exec'd `true`. The order is forced with a join, not left to chance. */
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void *spawnTrue(void *unused)
{
    (void)unused;
    pid_t pid = fork();
    if (pid == 0) {
        execlp("true", "true", (char *)NULL);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
    return NULL;
}

int main(void)
{
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0) return 1;
    pthread_t other;
    if (pthread_create(&other, NULL, spawnTrue, NULL) != 0) return 1;
    pthread_join(other, NULL);
    if (fcntl(s, F_SETFD, FD_CLOEXEC) != 0) return 1;
    /* Marked now: this child gets nothing. */
    spawnTrue(NULL);
    return 0;
}
