// SPDX-License-Identifier: GPL-3.0-or-later
// What the child will see, worked out the way the core does it (environment
// built in the parent, PATH taken from the *child's* environment as CPython
// does), so the editor can preview it before anything runs.
#pragma once

#include "spawnlab/plan.h"

#include <QStringList>

namespace spawnlab {

QStringList parentEnvironment(); // "K=V" entries of this process, sorted
// inherit ? parent : nothing; minus unset; plus set.
QStringList childEnvironment(const EnvSpec &env, const QStringList &parentEnv);
QString variableIn(const QStringList &env, const QString &name, bool *found = nullptr);

struct ExecutableLookup {
    QString program;   // executable, or argv[0]
    QString resolved;  // the file execve will run; empty when none was found
    QStringList tried; // candidates in order, up to and including `resolved`
    QString summary;   // one sentence for the editor
};

// Where the child's execve will find its program. Relative candidates are
// looked up in the plan's cwd, where the child runs them.
ExecutableLookup lookUpExecutable(const SpawnPlan &plan, const QStringList &parentEnv);

} // namespace spawnlab
