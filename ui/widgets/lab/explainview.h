// SPDX-License-Identifier: GPL-3.0-or-later
// The Explain panel: for the strategy the plan will use, what the kernel does
// and why `auto` chose it, then one paragraph per child step (what it does,
// why it sits where it does). After a run, each step says whether it ran,
// when, and with which errno. Step names are links: clicking one emits
// stepActivated so the window can select that step in the timeline; showStep
// goes the other way.
#pragma once

#include "explain/strategyexplainer.h"

#include <QWidget>

#include <optional>

class QTextBrowser;
class QUrl;

namespace spawnlab {

class ExplainView : public QWidget
{
    Q_OBJECT
public:
    explicit ExplainView(QWidget *parent = nullptr);

    void setPlan(const SpawnPlan &plan);     // forgets the result of an earlier plan
    void setResult(const RunResult &result); // a run of the plan last set

    const StrategyExplanation &explanation() const { return m_explanation; }
    std::optional<Step> highlightedStep() const { return m_highlighted; }
    QTextBrowser *browser() const { return m_browser; }

public Q_SLOTS:
    // Scrolls to the step's paragraph and highlights it; emits nothing.
    void showStep(spawnlab::Step step);

Q_SIGNALS:
    void stepActivated(spawnlab::Step step); // a step link was clicked

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    QString stepHtml(const StepExplanation &step) const;
    QString stepStatus(const StepExplanation &step) const;
    void onAnchorClicked(const QUrl &url);

    SpawnPlan m_plan;
    std::optional<RunResult> m_result;
    StrategyExplanation m_explanation;
    std::optional<Step> m_highlighted;
    QTextBrowser *m_browser = nullptr;
};

} // namespace spawnlab
