// SPDX-License-Identifier: GPL-3.0-or-later
#include "shared_area.h"

#include <sys/mman.h>

#include <cstring>

namespace spawnlab::detail {
namespace {

struct ThreadMapping {
    void *base = nullptr;
    std::size_t size = 0;
    ~ThreadMapping()
    {
        if (base) munmap(base, size);
    }
};

thread_local ThreadMapping mapping;

} // namespace

SharedState *SharedArea::acquire(int traceCapacity)
{
    std::size_t need = sizeof(SharedState) + std::size_t(traceCapacity) * sizeof(TraceRecord);
    if (mapping.size < need) {
        std::size_t size = (need + 4095) & ~std::size_t(4095);
        void *base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED) return state_ = nullptr;
        if (mapping.base) munmap(mapping.base, mapping.size);
        mapping.base = base;
        mapping.size = size;
    }
    state_ = static_cast<SharedState *>(mapping.base);
    std::memset(state_, 0, sizeof(SharedState));
    state_->traceCapacity = traceCapacity + 1; // the struct holds one record itself
    return state_;
}

} // namespace spawnlab::detail
