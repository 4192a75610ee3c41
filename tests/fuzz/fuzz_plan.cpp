// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: a plan file goes through the loader, then validate(), then
// savePlan and back — none of it may crash, hang or disagree with itself.
#include "plan/planfile.h"

#include "spawnlab/plan.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const spawnlab::PlanLoad load = spawnlab::loadPlan(json);
    if (!load.ok()) return 0;
    (void)spawnlab::validate(load.plan);
    // A plan that loaded must survive a round trip unchanged.
    const QByteArray saved = spawnlab::savePlan(load.plan);
    const spawnlab::PlanLoad again = spawnlab::loadPlan(saved);
    if (!again.ok() || spawnlab::savePlan(again.plan) != saved) std::abort();
    return 0;
}
