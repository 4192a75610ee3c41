// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/runsettingseditor.h"
#include "qs.h"

#include "editor/optiontip.h"
#include "problemlabel.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace spawnlab {
namespace {

const char *const kStrategyTips[] = {
    "auto: the cheapest strategy that is safe for this plan (the reason is shown below)",
    "fork: copies the parent's page tables; cost grows with the parent's RSS; always safe",
    "vfork: the parent is suspended and the child borrows its memory and stack until exec",
    "clone_vm: clone(CLONE_VM|CLONE_VFORK) on a stack of its own, as musl and glibc posix_spawn do",
    "posix_spawn: glibc runs the child steps; it cannot say which step failed",
};

const char *const kInspectTips[] = {
    "The child stops (SIGSTOP) after its fd moves, before close_fds, while spawnlab reads "
    "/proc/PID/fd",
    "The child stops again after close_fds: compare with the table before to see what was closed",
    "ptrace catches the child right after execve: CLOEXEC fds are gone; this is what the program "
    "gets",
    "The child stops before its first fd step and after each (every open, dup2, close, the "
    "shuffle's moves, close_fds): the Timeline then walks through its table step by step",
};
static_assert(std::size(kInspectTips) == std::size(kInspectPoints));

} // namespace

RunSettingsEditor::RunSettingsEditor(QWidget *parent)
    : PlanSection(tr("Run options"),
                  {QStringLiteral("strategy"), QStringLiteral("inspect"),
                   QStringLiteral("timeout_ms"), QStringLiteral("capture_limit_bytes")},
                  parent)
{
    auto *layout = new QVBoxLayout(this);

    auto *strategyBox = new QGroupBox(tr("How the child is created"), this);
    auto *strategyForm = new QFormLayout(strategyBox);
    m_strategy = new QComboBox(strategyBox);
    m_strategy->setObjectName(QStringLiteral("strategy"));
    for (Strategy s : kStrategies) {
        m_strategy->addItem(qs(strategyName(s)));
        m_strategy->setItemData(int(s), QString::fromLatin1(kStrategyTips[int(s)]),
                                Qt::ToolTipRole);
    }
    setOptionTip(m_strategy, "strategy");
    m_reason = new QLabel(strategyBox);
    m_reason->setObjectName(QStringLiteral("strategyReason"));
    m_reason->setWordWrap(true);
    m_posixSpawn = new QLabel(strategyBox);
    m_posixSpawn->setWordWrap(true);
    strategyForm->addRow(tr("Strategy:"), m_strategy);
    strategyForm->addRow(tr("Will use:"), m_reason);
    strategyForm->addRow(tr("posix_spawn:"), m_posixSpawn);
    strategyForm->addRow(new ProblemLabel({QStringLiteral("strategy")}, strategyBox));
    layout->addWidget(strategyBox);

    auto *inspectBox = new QGroupBox(tr("Inspect the child's fd table"), this);
    setOptionTip(inspectBox, "inspect");
    auto *inspectLayout = new QVBoxLayout(inspectBox);
    for (InspectPoint p : kInspectPoints) {
        auto *check = new QCheckBox(qs(inspectPointName(p)).replace(u'_', u' '), inspectBox);
        check->setObjectName(QStringLiteral("inspect_") + qs(inspectPointName(p)));
        check->setToolTip(QString::fromLatin1(kInspectTips[int(p)]));
        inspectLayout->addWidget(check);
        m_inspect << check;
        connect(check, &QCheckBox::toggled, this, &PlanSection::edited);
    }
    inspectLayout->addWidget(new ProblemLabel({QStringLiteral("inspect")}, inspectBox));
    layout->addWidget(inspectBox);

    auto *timeoutBox = new QGroupBox(tr("Timeout and output"), this);
    auto *timeoutForm = new QFormLayout(timeoutBox);
    m_timeout = new QSpinBox(timeoutBox);
    m_timeout->setObjectName(QStringLiteral("timeout"));
    m_timeout->setRange(0, INT_MAX);
    m_timeout->setSingleStep(500);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setSpecialValueText(tr("none (wait; Kill still works)"));
    setOptionTip(m_timeout, "timeout_ms");
    timeoutForm->addRow(tr("Kill after:"), m_timeout);
    timeoutForm->addRow(new ProblemLabel({QStringLiteral("timeout_ms")}, timeoutBox));
    m_captureLimit = new QSpinBox(timeoutBox);
    m_captureLimit->setObjectName(QStringLiteral("captureLimit"));
    m_captureLimit->setRange(0, INT_MAX);
    m_captureLimit->setSingleStep(1024);
    m_captureLimit->setSuffix(tr(" KiB per fd"));
    m_captureLimit->setSpecialValueText(tr("none kept (only counted)"));
    setOptionTip(m_captureLimit, "capture_limit_bytes");
    timeoutForm->addRow(tr("Keep output:"), m_captureLimit);
    m_captureExact = new QLabel(timeoutBox);
    m_captureExact->setObjectName(QStringLiteral("captureLimitExact"));
    m_captureExact->setWordWrap(true);
    timeoutForm->addRow(QString(), m_captureExact);
    timeoutForm->addRow(new ProblemLabel({QStringLiteral("capture_limit_bytes")}, timeoutBox));
    layout->addWidget(timeoutBox);
    layout->addStretch();

    connect(m_strategy, &QComboBox::currentIndexChanged, this, &PlanSection::edited);
    connect(m_timeout, &QSpinBox::valueChanged, this, &PlanSection::edited);
    connect(m_captureLimit, &QSpinBox::valueChanged, this, &PlanSection::edited);
    connect(m_captureLimit, &QSpinBox::valueChanged, this, &RunSettingsEditor::showExactLimit);
}

// A plan's limit that is not whole KiB is kept as it is until the box is changed.
void RunSettingsEditor::showExactLimit()
{
    const bool exact = m_loadedCaptureLimit % 1024 != 0 &&
                       m_captureLimit->value() == kibShown(m_loadedCaptureLimit);
    m_captureExact->setText(
        exact ? tr("exactly %1 bytes, as the plan says").arg(m_loadedCaptureLimit) : QString());
    m_captureExact->setVisible(exact);
}

// The KiB the spin box shows for a byte limit: rounded up, at most INT_MAX.
int RunSettingsEditor::kibShown(std::uint64_t bytes)
{
    return int(std::min<std::uint64_t>((bytes + 1023) / 1024, INT_MAX));
}

void RunSettingsEditor::load(const SpawnPlan &plan)
{
    const QSignalBlocker b1(m_strategy), b2(m_timeout), b3(m_captureLimit);
    m_strategy->setCurrentIndex(int(plan.strategy));
    m_timeout->setValue(plan.timeoutMs);
    m_loadedCaptureLimit = plan.captureLimitBytes;
    m_captureLimit->setValue(kibShown(plan.captureLimitBytes));
    showExactLimit();
    for (InspectPoint p : kInspectPoints) {
        QCheckBox *check = m_inspect[int(p)];
        const QSignalBlocker b(check);
        check->setChecked(std::find(plan.inspect.begin(), plan.inspect.end(), p) !=
                          plan.inspect.end());
    }
}

void RunSettingsEditor::apply(SpawnPlan &plan, QList<PlanIssue> &issues) const
{
    Q_UNUSED(issues);
    plan.strategy = Strategy(m_strategy->currentIndex());
    plan.timeoutMs = m_timeout->value();
    // A limit that is not whole KiB stays exact unless the user changes it.
    const int kib = m_captureLimit->value();
    plan.captureLimitBytes =
        kib == kibShown(m_loadedCaptureLimit) ? m_loadedCaptureLimit : std::uint64_t(kib) * 1024;
    plan.inspect.clear();
    for (InspectPoint p : kInspectPoints)
        if (m_inspect[int(p)]->isChecked()) plan.inspect.push_back(p);
}

void RunSettingsEditor::refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems)
{
    Q_UNUSED(problems);
    const StrategyChoice choice = chooseStrategy(plan);
    m_reason->setText(
        QStringLiteral("<b>%1</b> — %2")
            .arg(qs(strategyName(choice.strategy)), qs(choice.reason).toHtmlEscaped()));
    const auto limits = posixSpawnLimits(plan);
    QStringList lines;
    for (const auto &l : limits)
        lines << QStringLiteral("• ") + qs(l);
    m_posixSpawn->setText(lines.isEmpty() ? tr("can express this plan")
                                          : tr("cannot express:\n") + lines.join(u'\n'));
}

} // namespace spawnlab
