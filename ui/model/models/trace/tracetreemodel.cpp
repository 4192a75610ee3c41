// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/trace/tracetreemodel.h"

#include "qs.h"

#include "spawnlab/json_text.h"
#include "spawnlab/names.h"

#include <QStringList>

#include <map>
#include <utility>

namespace spawnlab {
namespace {

QString endedText(const std::optional<ExitStatus> &exit)
{
    return exit ? qs(exitStatusText(*exit)) : TraceTreeModel::tr("running");
}

// One line whatever the arguments hold (terminalText, as lsof writes names).
QString argvText(const TracedProcess &p)
{
    QStringList words;
    for (const auto &a : p.argv)
        words << qs(terminalText(a));
    return words.isEmpty() ? qs(terminalText(p.exe)) : words.join(u' ');
}

} // namespace

TraceTreeModel::TraceTreeModel(QObject *parent) : QAbstractItemModel(parent) {}

void TraceTreeModel::setReport(const TraceReport &report)
{
    beginResetModel();
    m_nodes.clear();
    m_roots.clear();
    std::map<pid_t, int> leaks, nodeOf;
    for (const TracedExec &e : report.execs)
        for (const InheritedFd &in : e.inherited)
            if (in.verdict == FdVerdict::Leaked) ++leaks[e.pid];
    for (const TracedProcess &p : report.processes) {
        nodeOf[p.pid] = int(m_nodes.size());
        m_nodes.push_back(Node{p, leaks[p.pid], -1, 0, {}});
    }
    for (int i = 0; i < int(m_nodes.size()); ++i) {
        Node &n = m_nodes[std::size_t(i)];
        auto parent = nodeOf.find(n.process.ppid);
        std::vector<int> &siblings = parent != nodeOf.end() && parent->second != i
                                         ? m_nodes[std::size_t(parent->second)].children
                                         : m_roots;
        if (&siblings != &m_roots) n.parent = parent->second;
        n.row = int(siblings.size());
        siblings.push_back(i);
    }
    endResetModel();
}

void TraceTreeModel::clear()
{
    beginResetModel();
    m_nodes.clear();
    m_roots.clear();
    endResetModel();
}

void TraceTreeModel::setHighlightedPid(qint64 pid)
{
    const qint64 before = std::exchange(m_highlighted, pid);
    for (qint64 changed : {before, pid}) {
        const QModelIndex at = indexOfPid(changed);
        if (at.isValid())
            Q_EMIT dataChanged(at, at.siblingAtColumn(ColumnCount - 1),
                               {Qt::ToolTipRole, HighlightedRole});
    }
}

QModelIndex TraceTreeModel::indexOfPid(qint64 pid) const
{
    for (int i = 0; i < int(m_nodes.size()); ++i)
        if (m_nodes[std::size_t(i)].process.pid == pid)
            return createIndex(m_nodes[std::size_t(i)].row, 0, quintptr(i));
    return {};
}

const std::vector<int> &TraceTreeModel::childrenOf(const QModelIndex &parent) const
{
    return parent.isValid() ? m_nodes[std::size_t(parent.internalId())].children : m_roots;
}

QModelIndex TraceTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent)) return {};
    return createIndex(row, column, quintptr(childrenOf(parent)[std::size_t(row)]));
}

QModelIndex TraceTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid()) return {};
    const int parent = m_nodes[std::size_t(child.internalId())].parent;
    if (parent < 0) return {};
    return createIndex(m_nodes[std::size_t(parent)].row, 0, quintptr(parent));
}

int TraceTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0) return 0;
    return int(childrenOf(parent).size());
}

int TraceTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant TraceTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const Node &n = m_nodes[std::size_t(index.internalId())];
    switch (role) {
    case PidRole:
        return qint64(n.process.pid);
    case LeaksRole:
        return n.leaks;
    case HighlightedRole:
        return m_highlighted != 0 && n.process.pid == m_highlighted;
    case Qt::ToolTipRole: {
        QString tip = tr("%1\nprogram: %2").arg(argvText(n.process), qs(n.process.exe));
        if (m_highlighted != 0 && n.process.pid == m_highlighted)
            tip += tr("\nIt made the selected fd.");
        return tip;
    }
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case Pid:
        return qint64(n.process.pid);
    case Program:
        return argvText(n.process);
    case Ended:
        return endedText(n.process.exit);
    case Leaks:
        return n.leaks ? tr("%n leaked fd(s)", nullptr, n.leaks) : QString();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TraceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (Column(section)) {
    case Pid:
        return tr("pid");
    case Program:
        return tr("Program");
    case Ended:
        return tr("Ended");
    case Leaks:
        return tr("Inherited leaks");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace spawnlab
