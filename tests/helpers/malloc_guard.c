// SPDX-License-Identifier: GPL-3.0-or-later
/* libspawnlab-malloc-guard.so, loaded with LD_PRELOAD by the no-allocation
 * tests: aborts when malloc, calloc, realloc or free runs in a process other
 * than the one that loaded it — that is, in a spawned child before its exec
 * (after exec the program loads its own copy, which owns the new process). */
#define _GNU_SOURCE
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long owner; /* 0 until the constructor ran */

__attribute__((constructor)) static void remember_owner(void)
{
    owner = syscall(SYS_getpid);
}

static void check(const char *what)
{
    if (owner == 0 || syscall(SYS_getpid) == owner) return;
    static const char prefix[] = "spawnlab-malloc-guard: allocation in a spawned child: ";
    (void)!write(2, prefix, sizeof prefix - 1);
    size_t n = 0;
    while (what[n])
        ++n;
    (void)!write(2, what, n);
    (void)!write(2, "\n", 1);
    syscall(SYS_kill, syscall(SYS_getpid), SIGABRT);
    _exit(134);
}

void *malloc(size_t size)
{
    check("malloc");
    return __libc_malloc(size);
}
void *calloc(size_t n, size_t size)
{
    check("calloc");
    return __libc_calloc(n, size);
}
void *realloc(void *p, size_t size)
{
    check("realloc");
    return __libc_realloc(p, size);
}
void free(void *p)
{
    check("free");
    __libc_free(p);
}
