// SPDX-License-Identifier: GPL-3.0-or-later
/* spawnlab-noop: the benchmark's default target. Static, so exec maps one
   file and no dynamic loader runs: what is left is the kernel's cost. */
int main(void)
{
    return 0;
}
