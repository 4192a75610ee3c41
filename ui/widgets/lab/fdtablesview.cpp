// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/fdtablesview.h"

#include "qs.h"

#include "lab/fdrowdelegate.h"
#include "models/fddiffmodel.h"
#include "models/fdtablemodel.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <unistd.h>

#include <algorithm>

namespace spawnlab {
namespace {

QLabel *swatch(const QColor &color, const QString &text, const QString &tip, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setAutoFillBackground(true);
    QPalette p = label->palette();
    p.setColor(QPalette::Window, color);
    label->setPalette(p);
    label->setContentsMargins(6, 2, 6, 2);
    label->setToolTip(tip);
    return label;
}

} // namespace

FdTablesView::FdTablesView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages);

    m_placeholder = new QLabel(this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_pages->addWidget(m_placeholder);

    auto *page = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->addWidget(legend());
    m_notes = new QLabel(page);
    m_notes->setWordWrap(true);
    pageLayout->addWidget(m_notes);

    auto *vertical = new QSplitter(Qt::Vertical, page);
    vertical->addWidget(createStageTables(vertical));
    vertical->addWidget(createPeersBox(vertical));
    vertical->addWidget(createDiffBox(vertical));
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 0);
    vertical->setStretchFactor(2, 2);
    pageLayout->addWidget(vertical, 1);
    m_pages->addWidget(page);

    connect(m_before, &QComboBox::currentIndexChanged, this, &FdTablesView::updateDiff);
    connect(m_after, &QComboBox::currentIndexChanged, this, &FdTablesView::updateDiff);
    clear(tr("Run the plan to see spawnlab's fd table and the child's at the stop points chosen "
             "under \"Strategy, inspect, timeout\"."));
}

// One table per stage, side by side: spawnlab, the child before and after
// close_fds, the child after exec.
QSplitter *FdTablesView::createStageTables(QWidget *parent)
{
    auto *tables = new QSplitter(Qt::Horizontal, parent);
    tables->setChildrenCollapsible(false);
    const QStringList names{tr("spawnlab (the parent)"), tr("child before close_fds"),
                            tr("child after close_fds"), tr("child after exec")};
    const FdRowRoles roles{FdTableModel::ChangeRole, FdTableModel::PresentRole,
                           FdTableModel::LeakRiskRole, FdTableModel::SameFileRole};
    for (int i = 0; i < names.size(); ++i) {
        Stage stage;
        stage.name = names[i];
        stage.box = new QGroupBox(names[i], tables);
        auto *boxLayout = new QVBoxLayout(stage.box);
        boxLayout->setContentsMargins(4, 4, 4, 4);
        stage.model = new FdTableModel(this);
        stage.view = fdTableView(stage.box);
        stage.view->setObjectName(QStringLiteral("fdStage%1").arg(i));
        stage.view->setModel(stage.model);
        stage.view->setItemDelegate(new FdRowDelegate(roles, stage.view));
        // fd, CLOEXEC, target: the target names the kind too ("pipe:[..]", "socket:[..]");
        // kind, access and notes are in each row's tooltip.
        for (int c : {FdTableModel::Kind, FdTableModel::Access, FdTableModel::Note})
            stage.view->setColumnHidden(c, true);
        // Peers are read for spawnlab's own table (after the run); the child's
        // tables are snapshots of a process that is gone.
        stage.view->setColumnHidden(FdTableModel::Held, i != 0);
        stage.view->horizontalHeader()->moveSection(FdTableModel::Cloexec, FdTableModel::Kind);
        boxLayout->addWidget(stage.view);
        tables->addWidget(stage.box);
        connect(stage.view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this, i](const QModelIndex &current) { stageSelected(i, current.row()); });
        m_stages << stage;
    }
    // spawnlab's table has one column more (who else holds each fd).
    for (int i = 0; i < names.size(); ++i)
        tables->setStretchFactor(i, i == 0 ? 4 : 3);
    return tables;
}

// Two stages picked and the fds that changed between them.
QGroupBox *FdTablesView::createDiffBox(QWidget *parent)
{
    auto *diffBox = new QGroupBox(tr("What changed between two stages"), parent);
    auto *diffLayout = new QVBoxLayout(diffBox);
    auto *pick = new QHBoxLayout;
    m_before = new QComboBox(diffBox);
    m_before->setObjectName(QStringLiteral("diffBefore"));
    m_after = new QComboBox(diffBox);
    m_after->setObjectName(QStringLiteral("diffAfter"));
    pick->addWidget(new QLabel(tr("Compare"), diffBox));
    pick->addWidget(m_before);
    pick->addWidget(new QLabel(QStringLiteral("→"), diffBox));
    pick->addWidget(m_after);
    pick->addStretch();
    diffLayout->addLayout(pick);
    m_summary = new QLabel(diffBox);
    m_summary->setObjectName(QStringLiteral("diffSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    diffLayout->addWidget(m_summary);
    m_diff = new FdDiffModel(this);
    m_diffView = fdTableView(diffBox);
    m_diffView->setObjectName(QStringLiteral("fdDiff"));
    m_diffView->setModel(m_diff);
    m_diffView->setItemDelegate(
        new FdRowDelegate({FdDiffModel::ChangeRole, -1, -1, -1}, m_diffView));
    diffLayout->addWidget(m_diffView);
    return diffBox;
}

// The selected fd's holders elsewhere (what lsof +E shows); activating one
// opens that process's table.
QGroupBox *FdTablesView::createPeersBox(QWidget *parent)
{
    m_peersBox = new QGroupBox(tr("Held elsewhere"), parent);
    auto *layout = new QVBoxLayout(m_peersBox);
    layout->setContentsMargins(4, 4, 4, 4);
    m_peers = new QListWidget(m_peersBox);
    m_peers->setObjectName(QStringLiteral("fdPeers"));
    m_peers->setToolTip(tr("Double-click (or Enter) to open that process's fd table"));
    m_peers->setMaximumHeight(m_peers->fontMetrics().height() * 5 + 12);
    layout->addWidget(m_peers);
    connect(m_peers, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const qint64 pid = item->data(Qt::UserRole).toLongLong();
        if (pid > 0) Q_EMIT processRequested(pid);
    });
    showPeers({}, 0);
    return m_peersBox;
}

void FdTablesView::showPeers(const FdEntry &entry, pid_t owner)
{
    m_peers->clear();
    if (entry.fd < 0) {
        m_peersBox->setTitle(tr("Held elsewhere"));
        m_peers->addItem(tr("Select an fd of spawnlab's table to see which other processes hold "
                            "it or its other end."));
        return;
    }
    if (owner == 0) {
        m_peersBox->setTitle(tr("Held elsewhere"));
        m_peers->addItem(tr("Only spawnlab's own fds are looked up elsewhere: the child's "
                            "tables are snapshots of a moment that has passed."));
        return;
    }
    int shown = 0;
    for (const FdPeer &p : entry.peers) {
        if (p.pid == owner) continue;
        auto *item = new QListWidgetItem(fdPeerText(p), m_peers);
        item->setData(Qt::UserRole, qint64(p.pid));
        ++shown;
    }
    m_peersBox->setTitle(tr("Held elsewhere: fd %1 — %n other fd(s)", "", shown).arg(entry.fd));
    if (shown == 0)
        m_peers->addItem(
            tr("No other process holds fd %1 (of those this user may read).").arg(entry.fd));
}

QWidget *FdTablesView::legend()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    const QPalette &p = palette();
    row->addWidget(new QLabel(tr("Marked against the table to the left:"), bar));
    row->addWidget(swatch(changeTint(FdChange::Added, p), tr("added"),
                          tr("open here, not in the stage before"), bar));
    row->addWidget(swatch(changeTint(FdChange::Changed, p), tr("changed"),
                          tr("same number, different open file or flags (e.g. dup2 onto it)"),
                          bar));
    auto *closed = swatch(changeTint(FdChange::Closed, p), tr("closed"),
                          tr("open in the stage before, closed here"), bar);
    QFont struck = closed->font();
    struck.setStrikeOut(true);
    closed->setFont(struck);
    row->addWidget(closed);
    row->addWidget(
        swatch(leakTint(p), tr("⚠ leaks"),
               tr("spawnlab's fd without CLOEXEC: a child with close_fds off inherits it"), bar));
    row->addWidget(
        swatch(sameFileTint(p), tr("same open file"), tr("the open file of the selected fd"), bar));
    row->addStretch();
    return bar;
}

void FdTablesView::clear(const QString &message)
{
    m_placeholder->setText(message);
    m_pages->setCurrentIndex(0);
    for (Stage &s : m_stages) {
        s.table.reset();
        s.model->setTable({});
    }
    m_diff->clear();
    showPeers({}, 0);
}

void FdTablesView::setResult(const RunResult &result, const SpawnPlan &plan)
{
    m_intended = handedOverFds(plan);
    m_stages[0].table = result.parentFds;
    for (InspectPoint point : kInspectPoints) {
        if (point == InspectPoint::EveryStep) continue; // the Timeline shows those
        const int p = int(point);
        auto it = result.childFds.find(point);
        m_stages[p + 1].table =
            it == result.childFds.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<FdTable> previous;
    for (int i = 0; i < m_stages.size(); ++i) {
        Stage &s = m_stages[i];
        s.box->setVisible(s.table.has_value());
        s.model->setTable(s.table.value_or(FdTable{}), true, m_intended);
        s.model->setPrevious(i == 0 ? std::nullopt : previous);
        if (s.table) {
            previous = s.table;
            s.box->setTitle(QStringLiteral("%1 — %2 fds").arg(s.name).arg(s.table->size()));
            s.view->resizeColumnToContents(FdTableModel::Fd);
            s.view->resizeColumnToContents(FdTableModel::Cloexec);
        }
    }
    QStringList notes;
    if (result.childFds.empty())
        notes << tr(
            "No stop point was inspected: turn on \"before close_fds\" / \"after close_fds\" / "
            "\"after exec\" under Strategy, inspect, timeout to see the child's table.");
    for (const auto &n : result.notes)
        notes << qs(n);
    m_notes->setText(notes.join(u'\n'));
    m_notes->setVisible(!notes.isEmpty());

    const QSignalBlocker b1(m_before), b2(m_after);
    m_before->clear();
    m_after->clear();
    for (int i = 0; i < m_stages.size(); ++i)
        if (m_stages[i].table) {
            m_before->addItem(m_stages[i].name, i);
            m_after->addItem(m_stages[i].name, i);
        }
    // The most telling pair: what close_fds did if both sides were seen, else
    // the last two stages (the parent and the child, for a single stop).
    if (m_stages[1].table && m_stages[2].table) {
        m_before->setCurrentIndex(m_before->findData(1));
        m_after->setCurrentIndex(m_after->findData(2));
    } else {
        m_before->setCurrentIndex(qMax(0, m_before->count() - 2));
        m_after->setCurrentIndex(m_after->count() - 1);
    }
    m_pages->setCurrentIndex(result.parentFds.empty() && result.childFds.empty() ? 0 : 1);
    if (m_pages->currentIndex() == 0)
        m_placeholder->setText(tr("This run has no fd tables (the plan did not start a child)."));
    updateDiff();
}

void FdTablesView::compare(int beforeStage, int afterStage)
{
    m_before->setCurrentIndex(m_before->findData(beforeStage));
    m_after->setCurrentIndex(m_after->findData(afterStage));
}

void FdTablesView::selectFd(int stage, int fd)
{
    const int row = m_stages[stage].model->rowOfFd(fd);
    if (row >= 0) m_stages[stage].view->selectRow(row);
}

QString FdTablesView::diffSummary() const
{
    return m_summary->text();
}

void FdTablesView::updateDiff()
{
    const int before = m_before->currentData().toInt(), after = m_after->currentData().toInt();
    if (m_before->currentIndex() < 0 || m_after->currentIndex() < 0 || !m_stages[before].table ||
        !m_stages[after].table) {
        m_diff->clear();
        m_summary->clear();
        return;
    }
    m_diff->setTables(*m_stages[before].table, *m_stages[after].table);
    QString summary =
        QStringLiteral("<b>%1 → %2:</b> %3")
            .arg(m_stages[before].name, m_stages[after].name, m_diff->summary().toHtmlEscaped());
    if (before == 1 && after == 2 && m_diff->count(FdChange::Closed) == 0)
        summary += tr("<br>close_fds closed nothing, so every fd the child had before it "
                      "(inheritable ones included) reaches the program unless it is CLOEXEC.");
    // What leaked, from the last stage that shows what the program gets.
    for (int stage : {3, 2}) {
        if (!m_stages[stage].table) continue;
        QStringList leaked;
        for (const FdEntry &e : *m_stages[stage].table)
            if (leakRisk(e) &&
                std::find(m_intended.begin(), m_intended.end(), e.fd) == m_intended.end())
                leaked << QString::number(e.fd);
        summary +=
            leaked.isEmpty()
                ? tr("<br>✔ No fd beyond the plan's reaches the program.")
                : tr("<br>⚠ <b>Leaked into the program:</b> fd %1 — inheritable, and not in the "
                     "plan's fds or pass_fds.")
                      .arg(leaked.join(QStringLiteral(", ")));
        break;
    }
    m_summary->setText(summary);
    m_diffView->resizeColumnToContents(FdDiffModel::Fd);
    m_diffView->resizeColumnToContents(FdDiffModel::Change);
    m_diffView->setColumnWidth(FdDiffModel::Before, 210);
    m_diffView->setColumnWidth(FdDiffModel::After, 210);
}

void FdTablesView::stageSelected(int stage, int row)
{
    if (row < 0) return;
    const FdEntry entry = m_stages[stage].model->entry(row);
    for (Stage &s : m_stages)
        s.model->setHighlight(entry);
    showPeers(entry, stage == 0 ? ::getpid() : 0);
    for (int r = 0; r < m_diff->rowCount(); ++r)
        if (m_diff->index(r, 0).data(FdDiffModel::FdRole).toInt() == entry.fd) {
            m_diffView->selectRow(r);
            m_diffView->scrollTo(m_diff->index(r, 0));
        }
}

} // namespace spawnlab
