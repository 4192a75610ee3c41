// SPDX-License-Identifier: GPL-3.0-or-later
// Ballast: resident, dirtied anonymous memory that gives the spawning process
// a real RSS. Sizes the machine cannot hold are refused before any page is
// touched, so the benchmark fails with a sentence, not the OOM killer.
#include "procinfo.h"

#include "spawnlab/bench.h"
#include "spawnlab/names.h"
#include "spelling.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace spawnlab::bench {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
// THP maps 2 MiB pages only at 2 MiB-aligned addresses.
constexpr std::uint64_t kHugeAlign = 2 * kMiB;
// Left free for the page tables fork copies, the children and everyone else.
constexpr std::uint64_t kMarginMib = 512;

std::uint64_t pageSize()
{
    const long page = sysconf(_SC_PAGESIZE);
    return page > 0 ? std::uint64_t(page) : 4096;
}

constexpr std::array<Spelling<Thp>, 3> thps{
    {{Thp::Default, "default"}, {Thp::On, "on"}, {Thp::Off, "off"}}};
constexpr std::array<Spelling<MemoryShape>, 3> memoryShapes{{{MemoryShape::Touched, "touched"},
                                                             {MemoryShape::Reserved, "reserved"},
                                                             {MemoryShape::Vmas, "vmas"}}};

} // namespace

std::string_view thpName(Thp t)
{
    return nameOf(thps, t, "default");
}

std::optional<Thp> parseThp(std::string_view name)
{
    return valueOf(thps, name);
}

std::string_view memoryShapeName(MemoryShape s)
{
    return nameOf(memoryShapes, s, "touched");
}

std::optional<MemoryShape> parseMemoryShape(std::string_view name)
{
    return valueOf(memoryShapes, name);
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
    return allocate(mib, MemoryShape::Touched, 0, thp, error);
}

Ballast Ballast::allocate(std::uint64_t mib, MemoryShape shape, int vmaCount, Thp thp,
                          std::string &error)
{
    error.clear();
    Ballast ballast;
    const std::uint64_t page = pageSize();
    std::uint64_t bytes = mib * kMiB;
    std::uint64_t chunk = 0; // Vmas: each mapping's size
    if (shape == MemoryShape::Vmas) {
        if (vmaCount < 1) {
            error = "a ballast of many mappings needs at least one mapping";
            return ballast;
        }
        const auto count = std::uint64_t(vmaCount);
        chunk = std::max(page, (bytes / count + page - 1) / page * page);
        bytes = chunk * count;
    }
    if (bytes == 0) return ballast;
    const std::uint64_t limit = maxBallastMib();
    const std::uint64_t needMib = (bytes + kMiB - 1) / kMiB;
    if (shape != MemoryShape::Reserved && needMib > limit) {
        error = "a " + std::to_string(needMib) + " MiB ballast does not fit: this machine has " +
                std::to_string(limit + kMarginMib) + " MiB available (MemAvailable in " +
                "/proc/meminfo), of which " + std::to_string(kMarginMib) +
                " MiB stay free for the children";
        return ballast;
    }
    const int noReserve = shape == MemoryShape::Reserved ? MAP_NORESERVE : 0;
    void *raw = mmap(nullptr, bytes + kHugeAlign, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | noReserve, -1, 0);
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
    if (shape == MemoryShape::Reserved) return ballast; // never touched: no page tables
    // Write every small page: a read would map the shared zero page and add
    // nothing to the RSS.
    volatile char *bytesAt = static_cast<char *>(ballast.base_);
    for (std::uint64_t offset = 0; offset < bytes; offset += page)
        bytesAt[offset] = 1;
    // Neighbouring mappings with the same protection are one VMA to the
    // kernel: making every other chunk read-only keeps them apart.
    if (shape == MemoryShape::Vmas)
        for (std::uint64_t offset = chunk; offset < bytes; offset += 2 * chunk)
            if (mprotect(static_cast<char *>(ballast.base_) + offset, chunk, PROT_READ) != 0) {
                error = "mprotect splitting the ballast into " + std::to_string(vmaCount) +
                        " mappings: " + errnoName(errno) +
                        (errno == ENOMEM ? " (more than vm.max_map_count allows)" : "");
                return Ballast();
            }
    return ballast;
}

} // namespace spawnlab::bench
