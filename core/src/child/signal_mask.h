// SPDX-License-Identifier: GPL-3.0-or-later
// A set of signals as the kernel keeps it and /proc prints it (SigBlk in
// status, a signalfd's sigmask in fdinfo): 64 bits, bit n - 1 for signal n.
// The plan's lists become such masks in prepare, and the child, posix_spawn
// and the /proc readers take them apart again, so it is plain arithmetic:
// no library call, no allocation.
#pragma once

#include <cstdint>

namespace spawnlab {
// Unnamed, as in exec_error.h: the child keeps its own copy, built with its flags.
namespace {

// Signals 1..64 (the kernel's _NSIG - 1 on x86-64 and arm64).
constexpr int kSignalCount = 64;

constexpr std::uint64_t signalBit(int sig)
{
    return std::uint64_t(1) << (sig - 1);
}

constexpr bool inSignalMask(std::uint64_t mask, int sig)
{
    return (mask & signalBit(sig)) != 0;
}

} // namespace
} // namespace spawnlab
