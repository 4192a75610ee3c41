// SPDX-License-Identifier: GPL-3.0-or-later
// Plans whose child can never reach exec: it opens, for writing, a FIFO that
// nobody opens for reading, so it blocks in the kernel's fifo_open. Tests of
// pre-exec deadlines, Kill and quitting use them for every strategy.
#pragma once

#include "spawnlab/plan.h"

#include <QString>

namespace spawnlab::test {

// Makes the FIFO at `fifo` (replacing a file there) and returns a plan that
// blocks opening it as fd 5 under `strategy`; argv stays empty if mkfifo failed.
SpawnPlan blockedOnFifo(const QString &fifo, Strategy strategy);

} // namespace spawnlab::test
