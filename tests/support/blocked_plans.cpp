// SPDX-License-Identifier: GPL-3.0-or-later
#include "blocked_plans.h"

#include <QFile>

#include <fcntl.h>
#include <sys/stat.h>

namespace spawnlab::test {

SpawnPlan blockedOnFifo(const QString &fifo, Strategy strategy)
{
    QFile::remove(fifo);
    SpawnPlan plan;
    if (mkfifo(qPrintable(fifo), 0600) != 0) return plan;
    plan.argv = {"true"};
    plan.strategy = strategy;
    FdAction wait;
    wait.fd = 5;
    wait.action = FdActionKind::Open;
    wait.path = fifo.toStdString();
    wait.flags = O_WRONLY;
    plan.fds = {wait};
    return plan;
}

} // namespace spawnlab::test
