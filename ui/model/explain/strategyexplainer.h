// SPDX-License-Identifier: GPL-3.0-or-later
// The Explain panel's words: for the strategy a plan will use
// (chooseStrategy), how the kernel creates the child, what the parent does
// meanwhile, the child's stack and signals, and why `auto` chose it; then one
// explanation per child step, in the order core/src/child/child.cpp runs them. With a
// RunResult, each step also says whether it ran, when, and with which errno.
// Qt Core only, so the panel and its tests share the same text.
#pragma once

#include "spawnlab/plan.h"
#include "spawnlab/result.h"

#include <QList>
#include <QString>

#include <optional>

namespace spawnlab {

struct ExplainSection {
    QString
        id; // stable anchor: "create", "parent", "stack", "signals", "report", "inside", "choice"
    QString title;
    QString text;
};

struct StepRun {
    QString arg; // as the trace renders it ("7 -> 5", "/tmp")
    int err = 0;
    double tUs = 0;     // since the spawn call started
    bool fatal = false; // the record that stopped the child
};

struct StepExplanation {
    Step step = Step::Signals;
    QString name;        // as in the trace and in results: "close_fds"
    QString kernel;      // what the step does in the kernel
    QString order;       // why it runs where it does
    bool inPlan = false; // this plan makes the child run it
    QList<StepRun> runs; // the trace's records of it (a result was given)
    bool failed = false; // the run's error is this step
};

struct StrategyExplanation {
    Strategy strategy = Strategy::Fork; // never Auto
    bool automatic = false;             // the plan said `auto`
    QString reason;                     // chooseStrategy's (or the run's) sentence
    bool traced = true;                 // false for posix_spawn: glibc runs the steps
    bool hasResult = false;
    QList<ExplainSection> sections;
    QList<StepExplanation> steps; // every child step, in the child's order
};

// `result`, when given, is a run of `plan`: its strategy (e.g. fork after vfork
// failed with EINVAL) and its trace are used.
StrategyExplanation explainStrategy(const SpawnPlan &plan, const RunResult *result = nullptr);

// The steps of core/src/child/child.cpp in the order it runs them.
QList<Step> childStepOrder();
StepExplanation explainStep(Step step); // texts only: inPlan, runs and failed unset

QString stepKey(Step step); // "close_fds"; empty for Spawn/PosixSpawn
std::optional<Step> stepFromKey(const QString &key);

} // namespace spawnlab
