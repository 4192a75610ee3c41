// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/processeditor.h"

#include "qs.h"

#include "editor/itemdelegates.h"
#include "editor/optiontip.h"
#include "explain/modetext.h"
#include "models/rlimitmodel.h"
#include "problemlabel.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <climits>

namespace spawnlab {

ProcessEditor::ProcessEditor(QWidget *parent)
    : PlanSection(tr("Session & limits"),
                  {QStringLiteral("setsid"), QStringLiteral("pgid"), QStringLiteral("umask"),
                   QStringLiteral("rlimits")},
                  parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createSessionGroup());
    layout->addWidget(createUmaskGroup());
    layout->addWidget(createLimitsGroup(), 1);
}

QWidget *ProcessEditor::createSessionGroup()
{
    auto *session = new QGroupBox(tr("Session and process group"), this);
    auto *sessionForm = new QFormLayout(session);
    m_setsid =
        optionField(new QCheckBox(tr("setsid: new session, no controlling terminal"), session),
                    "setsid", "setsid");
    m_setPgid =
        optionField(new QCheckBox(tr("setpgid: process group"), session), "setPgid", "pgid");
    m_pgid = new QSpinBox(session);
    m_pgid->setObjectName(QStringLiteral("pgid"));
    m_pgid->setRange(0, INT_MAX);
    m_pgid->setSpecialValueText(tr("0 — a new group led by the child"));
    setOptionTip(m_pgid, "pgid");
    sessionForm->addRow(m_setsid);
    sessionForm->addRow(m_setPgid, m_pgid);
    sessionForm->addRow(
        new ProblemLabel({QStringLiteral("setsid"), QStringLiteral("pgid")}, session));

    connect(m_setsid, &QCheckBox::toggled, this, &PlanSection::edited);
    connect(m_setPgid, &QCheckBox::toggled, this, [this](bool on) {
        m_pgid->setEnabled(on);
        Q_EMIT edited();
    });
    connect(m_pgid, &QSpinBox::valueChanged, this, &PlanSection::edited);
    return session;
}

QWidget *ProcessEditor::createUmaskGroup()
{
    auto *umaskBox = new QGroupBox(tr("File creation mask"), this);
    auto *umaskForm = new QFormLayout(umaskBox);
    m_setUmask = optionField(new QCheckBox(tr("umask:"), umaskBox), "setUmask", "umask");
    m_umask = new QLineEdit(umaskBox);
    m_umask->setObjectName(QStringLiteral("umask"));
    m_umask->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-7]{0,4}")), m_umask));
    m_umask->setMaximumWidth(80);
    setOptionTip(m_umask, "umask");
    m_umaskPreview = new QLabel(umaskBox);
    m_umaskPreview->setObjectName(QStringLiteral("umaskPreview"));
    m_umaskPreview->setTextFormat(Qt::PlainText);
    m_umaskPreview->setFont(QFont(QStringLiteral("monospace")));
    auto *umaskRow = new QHBoxLayout;
    umaskRow->addWidget(m_umask);
    umaskRow->addStretch();
    umaskForm->addRow(m_setUmask, umaskRow);
    umaskForm->addRow(m_umaskPreview);
    umaskForm->addRow(new ProblemLabel({QStringLiteral("umask")}, umaskBox, m_umask));

    connect(m_setUmask, &QCheckBox::toggled, this, [this](bool on) {
        m_umask->setEnabled(on);
        updateUmaskPreview();
        Q_EMIT edited();
    });
    connect(m_umask, &QLineEdit::textEdited, this, [this] {
        updateUmaskPreview();
        Q_EMIT edited();
    });
    return umaskBox;
}

QWidget *ProcessEditor::createLimitsGroup()
{
    auto *limitsBox =
        new QGroupBox(tr("Resource limits (check to set; double-click a value)"), this);
    setOptionTip(limitsBox, "rlimits");
    auto *limitsLayout = new QVBoxLayout(limitsBox);
    m_rlimits = new RlimitModel(this);
    m_rlimitTable = new QTableView(limitsBox);
    m_rlimitTable->setObjectName(QStringLiteral("rlimitTable"));
    m_rlimitTable->setModel(m_rlimits);
    m_rlimitTable->verticalHeader()->hide();
    m_rlimitTable->verticalHeader()->setDefaultSectionSize(m_rlimitTable->fontMetrics().height() +
                                                           8);
    m_rlimitTable->horizontalHeader()->setStretchLastSection(true);
    m_rlimitTable->setItemDelegate(new ProblemDelegate(RlimitModel::ProblemRole, m_rlimitTable));
    m_rlimitTable->setWordWrap(false);
    m_rlimitTable->resizeColumnsToContents();
    m_rlimitTable->setMinimumHeight(200);
    limitsLayout->addWidget(m_rlimitTable);
    limitsLayout->addWidget(new ProblemLabel({QStringLiteral("rlimits")}, limitsBox));

    connect(m_rlimits, &RlimitModel::edited, this, &PlanSection::edited);
    return limitsBox;
}

void ProcessEditor::load(const SpawnPlan &plan)
{
    const QSignalBlocker b1(m_setsid), b2(m_setPgid), b3(m_pgid), b4(m_setUmask), b5(m_umask);
    m_setsid->setChecked(plan.setsid);
    m_setPgid->setChecked(plan.pgid.has_value());
    m_pgid->setValue(plan.pgid.value_or(0));
    m_pgid->setEnabled(plan.pgid.has_value());
    m_setUmask->setChecked(plan.umask.has_value());
    m_umask->setText(qsOctal(plan.umask.value_or(022)));
    m_umask->setEnabled(plan.umask.has_value());
    m_rlimits->setLimits(plan.rlimits);
    updateUmaskPreview();
}

void ProcessEditor::apply(SpawnPlan &plan, QList<PlanIssue> &issues) const
{
    plan.setsid = m_setsid->isChecked();
    plan.pgid = m_setPgid->isChecked() ? std::optional<pid_t>(m_pgid->value()) : std::nullopt;
    plan.umask.reset();
    if (m_setUmask->isChecked()) {
        if (auto mask = parseOctal(m_umask->text(), 0777))
            plan.umask = mode_t(*mask);
        else
            issues.append({QStringLiteral("umask"),
                           tr("enter an octal mask no larger than 0777, e.g. 0022")});
    }
    plan.rlimits = m_rlimits->limits();
}

void ProcessEditor::refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems)
{
    Q_UNUSED(plan);
    m_rlimits->setProblems(problems);
}

void ProcessEditor::updateUmaskPreview()
{
    const auto mask = parseOctal(m_umask->text(), 0777);
    if (!m_setUmask->isChecked()) {
        m_umaskPreview->setText(tr("The child keeps spawnlab's umask."));
    } else if (!mask) {
        m_umaskPreview->setText(tr("An octal mask, e.g. 0022 or 0077."));
    } else {
        const unsigned file = 0666 & ~*mask, dir = 0777 & ~*mask;
        m_umaskPreview->setText(
            tr("masks    %1\nfiles    0666 → %2  %3\ndirs     0777 → %4  %5")
                .arg(rwxText(*mask), qsOctal(file), rwxText(file), qsOctal(dir), rwxText(dir)));
    }
}

} // namespace spawnlab
