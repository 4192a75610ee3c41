// spawnlab-cli bench: see the benchmark issue.
#pragma once

#include <span>

int benchCommand(std::span<char *const> args);
