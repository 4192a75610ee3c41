// SPDX-License-Identifier: GPL-3.0-or-later
/* spawnlab-plan-floor: what the benchmark's plan costs written by hand, with
   no spawnlab in it. Alternates, RUNS times, a bare vfork + execve + waitpid
   (raw_vfork) with a vfork that does the calls the core's plan needs (block
   every signal, dup2 /dev/null onto 0, 1 and 2, close_range, restore the
   mask; /dev/null opened once, as the benchmark's prepared plan does) and
   prints both medians and p10s and their ratios: the floor under the
   core's vfork / raw_vfork.  Usage: spawnlab-plan-floor TARGET RUNS */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char *argv0[2];
static int devNull = -1;

static double nowUs(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* noinline: the child borrows this frame until execve. */
__attribute__((noinline)) static pid_t bare(void)
{
    pid_t pid = vfork();
    if (pid == 0) {
        execve(argv0[0], argv0, environ);
        _exit(127);
    }
    return pid;
}

__attribute__((noinline)) static pid_t withPlan(void)
{
    uint64_t all = ~(uint64_t)0, saved = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &saved, sizeof all);
    pid_t pid = vfork();
    if (pid == 0) {
        for (int fd = 0; fd < 3; ++fd)
            if (dup2(devNull, fd) < 0) _exit(127);
        syscall(SYS_close_range, 3, ~0U, 0);
        syscall(SYS_rt_sigprocmask, SIG_SETMASK, &saved, NULL, sizeof saved);
        execve(argv0[0], argv0, environ);
        _exit(127);
    }
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &saved, NULL, sizeof saved);
    return pid;
}

static double timeOne(pid_t (*spawn)(void))
{
    const double start = nowUs();
    const pid_t pid = spawn();
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "spawnlab-plan-floor: %s did not run and exit 0\n", argv0[0]);
        exit(1);
    }
    return nowUs() - start;
}

static int byValue(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const long runs = argc == 3 ? strtol(argv[2], NULL, 10) : 0;
    if (runs < 10 || runs > 1000000) {
        fprintf(stderr, "usage: spawnlab-plan-floor TARGET RUNS (10..1000000)\n");
        return 2;
    }
    argv0[0] = argv[1];
    devNull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devNull < 0) {
        perror("spawnlab-plan-floor: /dev/null");
        return 1;
    }
    double *bareUs = malloc(sizeof(double) * (size_t)runs);
    double *planUs = malloc(sizeof(double) * (size_t)runs);
    if (!bareUs || !planUs) return 1;
    for (long i = 0; i < runs; ++i) { /* interleaved, as the benchmark samples */
        bareUs[i] = timeOne(bare);
        planUs[i] = timeOne(withPlan);
    }
    qsort(bareUs, (size_t)runs, sizeof(double), byValue);
    qsort(planUs, (size_t)runs, sizeof(double), byValue);
    const double b10 = bareUs[runs / 10], bMed = bareUs[runs / 2];
    const double p10 = planUs[runs / 10], pMed = planUs[runs / 2];
    printf("raw_vfork: median %.1f us, p10 %.1f us\n", bMed, b10);
    printf("raw_vfork with the plan's calls: median %.1f us, p10 %.1f us\n", pMed, p10);
    printf("ratio: median %.3f, p10 %.3f\n", pMed / bMed, p10 / b10);
    return 0;
}
