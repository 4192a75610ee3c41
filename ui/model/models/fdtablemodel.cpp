// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fdtablemodel.h"
#include "qs.h"

#include "spawnlab/json_text.h"

#include <algorithm>
#include <set>

namespace spawnlab {
namespace {

// Other processes only: the table itself shows the process's own fds.
std::vector<FdPeer> otherProcesses(const FdEntry &e, pid_t self)
{
    std::vector<FdPeer> out;
    for (const FdPeer &p : e.peers)
        if (p.pid != self) out.push_back(p);
    return out;
}

} // namespace

QString fdEntrySummary(const FdEntry &e)
{
    return QStringLiteral("%1 (%2%3)")
        .arg(qs(terminalText(fdDescription(e))), qs(fdAccessName(e.access)),
             e.cloexec ? QStringLiteral(", CLOEXEC") : QString());
}

QString fdPeerText(const FdPeer &p)
{
    return QStringLiteral("%1 (pid %2) fd %3, %4%5 — %6")
        .arg(qs(p.comm))
        .arg(p.pid)
        .arg(p.fd)
        .arg(qs(fdAccessName(FdAccess(p.access))),
             p.cloexec ? QStringLiteral(", CLOEXEC") : QString(), qs(p.relation));
}

QString fdHeldByText(const FdEntry &e, pid_t self)
{
    // One name per process (a pipe's two ends in one process count once):
    // the column stays narrow, the fds are in the tooltip.
    const std::vector<FdPeer> others = otherProcesses(e, self);
    if (others.empty()) return {};
    std::set<pid_t> pids;
    for (const FdPeer &p : others)
        pids.insert(p.pid);
    const QString first = QStringLiteral("%1 (%2)").arg(qs(others[0].comm)).arg(others[0].pid);
    return pids.size() == 1 ? first
                            : QObject::tr("%1 +%2").arg(first).arg(qulonglong(pids.size() - 1));
}

QStringList fdEntryDetails(const FdEntry &e)
{
    QStringList lines;
    const SocketInfo &s = e.socket;
    if (e.kind == FdKind::Socket && !s.protocol.empty()) {
        lines << QObject::tr("socket: %1%2")
                     .arg(qs(s.protocol), s.type.empty() ? QString() : u' ' + qs(s.type));
        if (!s.local.empty()) lines << QObject::tr("local: %1").arg(qs(s.local));
        if (!s.remote.empty()) lines << QObject::tr("remote: %1").arg(qs(s.remote));
        if (!s.state.empty()) lines << QObject::tr("state: %1").arg(qs(s.state));
        if (s.peerInode) lines << QObject::tr("peer: socket:[%1]").arg(s.peerInode);
        if (!s.detail.empty()) lines << qs(s.detail);
    }
    if (e.kind == FdKind::AnonInode && fdDescription(e) != e.target)
        lines << qs(fdDescription(e)) + QStringLiteral(" (") + qs(e.target) + u')';
    if (e.subkind == "deleted")
        lines << QObject::tr("the file was deleted; its data lives on while it is open");
    for (const FdPeer &p : e.peers)
        lines << QObject::tr("held by %1").arg(fdPeerText(p));
    return lines;
}

QStringList fdEntryRecord(const FdEntry &e)
{
    QStringList lines{QStringLiteral("fd %1: ").arg(e.fd) + fdEntrySummary(e)};
    if (!e.subkind.empty()) lines << QObject::tr("kind: %1").arg(qs(e.subkind));
    lines << QObject::tr("offset %1, inode %2").arg(e.pos).arg(e.inode);
    return lines << fdEntryDetails(e);
}

FdTableModel::FdTableModel(QObject *parent)
    : TableModel(
          {{tr("fd")},
           {tr("Kind")},
           {tr("Target")},
           // Two lines: narrow tables side by side.
           {tr("CLO-\nEXEC"),
            tr("FD_CLOEXEC: the kernel closes the fd at execve, so the program never sees it")},
           {tr("Access")},
           {tr("Held by"), tr("Other processes holding the same pipe, socket or open "
                              "file, or its other end (as lsof +E shows)")},
           {tr("Note")}},
          parent)
{
}

void FdTableModel::setTable(const FdTable &table, bool leakMarks, const std::vector<int> &intended)
{
    beginResetModel();
    m_table = table;
    m_leakMarks = leakMarks;
    m_intended = intended;
    rebuild();
    endResetModel();
}

void FdTableModel::setPrevious(const std::optional<FdTable> &previous)
{
    beginResetModel();
    m_previous = previous;
    rebuild();
    endResetModel();
}

void FdTableModel::rebuild()
{
    m_rows.clear();
    if (!m_previous) {
        for (const FdEntry &e : m_table)
            m_rows.push_back({e, true, -1, {}, {}});
    } else {
        for (const FdDiffRow &d : diffFdTables(*m_previous, m_table)) {
            Row row;
            row.present = d.after.has_value();
            row.entry = row.present ? *d.after : *d.before;
            row.change = int(d.change);
            QStringList notes;
            for (const auto &n : d.notes)
                notes << qs(n);
            row.notes = notes.join(QStringLiteral("; "));
            m_rows.push_back(row);
        }
    }
    if (m_leakMarks)
        for (Row &row : m_rows) {
            const bool intended =
                std::find(m_intended.begin(), m_intended.end(), row.entry.fd) != m_intended.end();
            if (row.present && !intended)
                if (auto risk = leakRisk(row.entry, m_owner)) row.leak = qs(*risk);
        }
}

void FdTableModel::setOwner(pid_t pid)
{
    beginResetModel();
    m_owner = pid; // the leak sentences leave the owner out
    rebuild();
    endResetModel();
}

void FdTableModel::setHighlight(const std::optional<FdEntry> &entry)
{
    m_highlight = entry;
    allRowsChanged();
}

int FdTableModel::rowOfFd(int fd) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].entry.fd == fd) return int(i);
    return -1;
}

QVariant FdTableModel::roleData(int r, int, int role) const
{
    const Row &row = m_rows[std::size_t(r)];
    const FdEntry &e = row.entry;
    switch (role) {
    case FdRole:
        return e.fd;
    case ChangeRole:
        return row.change;
    case PresentRole:
        return row.present;
    case SameFileRole:
        return row.present && m_highlight && sameFile(*m_highlight, e);
    case LeakRiskRole:
        return row.leak;
    case Qt::ToolTipRole: {
        QStringList lines = fdEntryRecord(e);
        if (!row.present) lines.prepend(tr("Closed at this stage; it was:"));
        if (!row.leak.isEmpty()) lines << tr("Leak risk: ") + row.leak;
        if (!row.notes.isEmpty()) lines << row.notes;
        return lines.join(u'\n');
    }
    default:
        return {};
    }
}

QVariant FdTableModel::cell(int r, int column, bool) const
{
    const Row &row = m_rows[std::size_t(r)];
    const FdEntry &e = row.entry;
    switch (Column(column)) {
    case Fd:
        return e.fd;
    case Kind:
        return e.subkind.empty() ? qs(fdKindName(e.kind))
                                 : qs(fdKindName(e.kind)) + u':' + qs(e.subkind);
    case Target: // one line whatever the name holds (a\nb), as lsof writes it
        return qs(terminalText(fdDescription(e)));
    case Cloexec:
        return e.cloexec ? QStringLiteral("yes") : QStringLiteral("no");
    case Access:
        return qs(fdAccessName(e.access));
    case Held: {
        const QString held = fdHeldByText(e, m_owner);
        return held.isEmpty() ? QVariant() : held;
    }
    case Note:
        if (!row.leak.isEmpty()) return tr("leaks: ") + row.leak;
        if (row.change >= 0 && FdChange(row.change) != FdChange::Kept)
            return qs(fdChangeName(FdChange(row.change))) +
                   (row.notes.isEmpty() ? QString() : QStringLiteral(": ") + row.notes);
        return {};
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace spawnlab
