// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/argveditor.h"

#include "qs.h"

#include "editor/optiontip.h"
#include "plan/childenvironment.h"
#include "problemlabel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace spawnlab {

ArgvEditor::ArgvEditor(QWidget *parent)
    : PlanSection(tr("Program"),
                  {QStringLiteral("argv"), QStringLiteral("executable"), QStringLiteral("cwd")},
                  parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createArgvGroup());
    layout->addWidget(createProgramGroup());
    layout->addStretch();
    updateButtons();
}

QWidget *ArgvEditor::createArgvGroup()
{
    auto *argvBox = new QGroupBox(tr("Arguments (argv)"), this);
    setOptionTip(argvBox, "argv");
    auto *argvLayout = new QVBoxLayout(argvBox);
    auto *hint = new QLabel(tr("argv[0] is the name the program sees; drag or use the arrows to "
                               "reorder. Double-click to edit."),
                            argvBox);
    hint->setWordWrap(true);
    m_argv = new QListWidget(argvBox);
    m_argv->setObjectName(QStringLiteral("argvList"));
    m_argv->setDragDropMode(QAbstractItemView::InternalMove);
    m_argv->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    m_argv->setMinimumHeight(110);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"), argvBox);
    add->setObjectName(QStringLiteral("argvAdd"));
    m_remove = new QPushButton(tr("Remove"), argvBox);
    m_up = new QPushButton(tr("Up"), argvBox);
    m_down = new QPushButton(tr("Down"), argvBox);
    for (QPushButton *b : {add, m_remove, m_up, m_down})
        buttons->addWidget(b);
    buttons->addStretch();
    argvLayout->addWidget(hint);
    argvLayout->addWidget(m_argv);
    argvLayout->addLayout(buttons);
    argvLayout->addWidget(new ProblemLabel({QStringLiteral("argv")}, argvBox));

    connect(add, &QPushButton::clicked, this, &ArgvEditor::addArgument);
    connect(m_remove, &QPushButton::clicked, this, &ArgvEditor::removeArgument);
    connect(m_up, &QPushButton::clicked, this, [this] { moveArgument(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveArgument(+1); });
    connect(m_argv, &QListWidget::itemChanged, this, &PlanSection::edited);
    connect(m_argv->model(), &QAbstractItemModel::rowsMoved, this, &PlanSection::edited);
    connect(m_argv, &QListWidget::currentRowChanged, this, &ArgvEditor::updateButtons);
    return argvBox;
}

// The program file, where PATH finds it, and the working directory.
QWidget *ArgvEditor::createProgramGroup()
{
    auto *execBox = new QGroupBox(tr("Executable"), this);
    auto *form = new QFormLayout(execBox);
    m_executable = new QLineEdit(execBox);
    m_executable->setObjectName(QStringLiteral("executable"));
    m_executable->setPlaceholderText(tr("argv[0]"));
    setOptionTip(m_executable, "executable");
    m_resolution = new QLabel(execBox);
    m_resolution->setObjectName(QStringLiteral("pathResolution"));
    m_resolution->setWordWrap(true);
    m_resolution->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Program file:"), m_executable);
    form->addRow(tr("Resolves to:"), m_resolution);
    form->addRow(new ProblemLabel({QStringLiteral("executable")}, execBox, m_executable));

    auto *cwdRow = new QHBoxLayout;
    m_cwd = new QLineEdit(execBox);
    m_cwd->setObjectName(QStringLiteral("cwd"));
    m_cwd->setPlaceholderText(tr("spawnlab's own (%1)").arg(QDir::currentPath()));
    setOptionTip(m_cwd, "cwd");
    auto *browse = new QPushButton(tr("Browse…"), execBox);
    cwdRow->addWidget(m_cwd, 1);
    cwdRow->addWidget(browse);
    m_cwdNote = new QLabel(execBox);
    m_cwdNote->setWordWrap(true);
    form->addRow(tr("Working directory:"), cwdRow);
    form->addRow(QString(), m_cwdNote);
    form->addRow(new ProblemLabel({QStringLiteral("cwd")}, execBox, m_cwd));

    connect(m_executable, &QLineEdit::textEdited, this, &PlanSection::edited);
    connect(m_cwd, &QLineEdit::textEdited, this, &PlanSection::edited);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Working directory"), m_cwd->text());
        if (dir.isEmpty()) return;
        m_cwd->setText(dir);
        Q_EMIT edited();
    });
    return execBox;
}

void ArgvEditor::load(const SpawnPlan &plan)
{
    const QSignalBlocker blocker(m_argv);
    m_argv->clear();
    for (const auto &arg : plan.argv) {
        auto *item = new QListWidgetItem(qs(arg), m_argv);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    m_executable->setText(qs(plan.executable));
    m_cwd->setText(qs(plan.cwd));
    updateButtons();
}

void ArgvEditor::apply(SpawnPlan &plan, QList<PlanIssue> &issues) const
{
    Q_UNUSED(issues);
    plan.argv.clear();
    for (int i = 0; i < m_argv->count(); ++i)
        plan.argv.push_back(m_argv->item(i)->text().toStdString());
    plan.executable = m_executable->text().toStdString();
    plan.cwd = m_cwd->text().toStdString();
}

void ArgvEditor::refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems)
{
    Q_UNUSED(problems);
    const ExecutableLookup lookup = lookUpExecutable(plan, parentEnvironment());
    m_resolution->setText(lookup.summary);
    m_resolution->setToolTip(tr("execve tries, in order:\n") + lookup.tried.join(u'\n'));
    m_cwdNote->clear();
    if (!plan.cwd.empty()) {
        const QFileInfo dir(qs(plan.cwd));
        if (!dir.exists())
            m_cwdNote->setText(tr("Does not exist here: the child's chdir will fail with ENOENT "
                                  "(which is what the failing_chdir example shows)."));
        else if (!dir.isDir())
            m_cwdNote->setText(tr("Not a directory: chdir will fail with ENOTDIR."));
    }
    m_cwdNote->setVisible(!m_cwdNote->text().isEmpty());
}

void ArgvEditor::addArgument()
{
    auto *item = new QListWidgetItem(QString(), m_argv);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
    m_argv->setCurrentItem(item);
    m_argv->editItem(item);
    Q_EMIT edited();
}

void ArgvEditor::removeArgument()
{
    delete m_argv->currentItem();
    updateButtons();
    Q_EMIT edited();
}

void ArgvEditor::moveArgument(int by)
{
    const int row = m_argv->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_argv->count()) return;
    {
        const QSignalBlocker blocker(m_argv);
        QListWidgetItem *item = m_argv->takeItem(row);
        m_argv->insertItem(to, item);
        m_argv->setCurrentRow(to);
    }
    updateButtons();
    Q_EMIT edited();
}

void ArgvEditor::updateButtons()
{
    const int row = m_argv->currentRow();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_argv->count());
}

} // namespace spawnlab
