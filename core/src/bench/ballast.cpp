// SPDX-License-Identifier: GPL-3.0-or-later
// Ballast: resident, dirtied anonymous memory that gives the spawning process
// a real RSS. Sizes the machine cannot hold are refused before any page is
// touched, so the benchmark fails with a sentence, not the OOM killer.
#include "procinfo.h"

#include "spawnlab/bench.h"
#include "spawnlab/names.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include <utility>

namespace spawnlab::bench {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
// THP maps 2 MiB pages only at 2 MiB-aligned addresses.
constexpr std::uint64_t kHugeAlign = 2 * kMiB;
// Left free for the page tables fork copies, the children and everyone else.
constexpr std::uint64_t kMarginMib = 512;

} // namespace

std::string_view thpName(Thp t)
{
    switch (t) {
    case Thp::On:
        return "on";
    case Thp::Off:
        return "off";
    case Thp::Default:
        break;
    }
    return "default";
}

std::uint64_t maxBallastMib()
{
    const long long availableKb = detail::memAvailableKb();
    if (availableKb < 0) return 0;
    const std::uint64_t availableMib = std::uint64_t(availableKb) / 1024;
    return availableMib > kMarginMib ? availableMib - kMarginMib : 0;
}

Ballast::Ballast(Ballast &&other) noexcept
    : base_(std::exchange(other.base_, nullptr)), bytes_(std::exchange(other.bytes_, 0))
{
}

Ballast &Ballast::operator=(Ballast &&other) noexcept
{
    if (this != &other) {
        if (base_) munmap(base_, bytes_);
        base_ = std::exchange(other.base_, nullptr);
        bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
}

Ballast::~Ballast()
{
    if (base_) munmap(base_, bytes_);
}

Ballast Ballast::allocate(std::uint64_t mib, Thp thp, std::string &error)
{
    error.clear();
    Ballast ballast;
    if (mib == 0) return ballast;
    const std::uint64_t limit = maxBallastMib();
    if (mib > limit) {
        error = "a " + std::to_string(mib) + " MiB ballast does not fit: this machine has " +
                std::to_string(limit + kMarginMib) + " MiB available (MemAvailable in " +
                "/proc/meminfo), of which " + std::to_string(kMarginMib) +
                " MiB stay free for the children";
        return ballast;
    }
    const std::uint64_t bytes = mib * kMiB;
    void *raw = mmap(nullptr, bytes + kHugeAlign, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
        error = "mmap of a " + std::to_string(mib) + " MiB ballast: " + errnoName(errno);
        return ballast;
    }
    // Trim to a 2 MiB-aligned start so THP, when on, can back all of it.
    auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + kHugeAlign - 1) & ~std::uintptr_t(kHugeAlign - 1);
    if (aligned > start) munmap(raw, aligned - start);
    const std::uintptr_t end = start + bytes + kHugeAlign;
    if (end > aligned + bytes)
        munmap(reinterpret_cast<void *>(aligned + bytes), end - aligned - bytes);
    ballast.base_ = reinterpret_cast<void *>(aligned);
    ballast.bytes_ = bytes;

    if (thp != Thp::Default &&
        madvise(ballast.base_, bytes, thp == Thp::On ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) != 0) {
        error = std::string("madvise(") + (thp == Thp::On ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE") +
                ") on the ballast: " + errnoName(errno) +
                (errno == EINVAL ? " (the kernel has no transparent huge pages)" : "");
        return Ballast();
    }
    // Write every small page: a read would map the shared zero page and add
    // nothing to the RSS.
    const long page = sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096;
    volatile char *bytesAt = static_cast<char *>(ballast.base_);
    for (std::uint64_t offset = 0; offset < bytes; offset += std::uint64_t(page))
        bytesAt[offset] = 1;
    return ballast;
}

} // namespace spawnlab::bench
