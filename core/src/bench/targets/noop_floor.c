// SPDX-License-Identifier: GPL-3.0-or-later
/* spawnlab-noop-floor: the benchmark's floor target. No libc at all
   (-nostdlib -static): the entry point exits through a raw exit_group
   syscall, so an exec of it costs the kernel's exec and nothing of glibc's
   start-up (~300 us on a VM for a static glibc no-op). */
#if defined(__x86_64__)
__attribute__((naked, noreturn)) void _start(void)
{
    __asm__ volatile("mov $231, %eax\n\t" /* exit_group */
                     "xor %edi, %edi\n\t"
                     "syscall");
}
#elif defined(__aarch64__)
__attribute__((naked, noreturn)) void _start(void)
{
    __asm__ volatile("mov x8, #94\n\t" /* exit_group */
                     "mov x0, #0\n\t"
                     "svc #0");
}
#else
#error "spawnlab-noop-floor: no exit_group sequence for this architecture"
#endif
