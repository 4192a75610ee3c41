#include "bench_command.h"

#include <cstdio>

int benchCommand(std::span<char *const>)
{
    std::fprintf(stderr, "spawnlab-cli: bench is not built yet\n");
    return 2;
}
