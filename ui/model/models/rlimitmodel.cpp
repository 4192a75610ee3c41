// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/rlimitmodel.h"

#include "qs.h"

#include "spawnlab/names.h"

#include <algorithm>

namespace spawnlab {
namespace {

QString describeResource(int resource)
{
    switch (resource) {
    case RLIMIT_AS:
        return QStringLiteral("address space (bytes)");
    case RLIMIT_CORE:
        return QStringLiteral("core dump size (bytes); 0 = no core files");
    case RLIMIT_CPU:
        return QStringLiteral("CPU time (s); SIGXCPU at soft, SIGKILL at hard");
    case RLIMIT_DATA:
        return QStringLiteral("data segment and heap (bytes)");
    case RLIMIT_FSIZE:
        return QStringLiteral("largest file it may write (bytes); SIGXFSZ beyond");
    case RLIMIT_LOCKS:
        return QStringLiteral("file locks (unused since Linux 2.4)");
    case RLIMIT_MEMLOCK:
        return QStringLiteral("locked memory (bytes)");
    case RLIMIT_MSGQUEUE:
        return QStringLiteral("POSIX message queue bytes");
    case RLIMIT_NICE:
        return QStringLiteral("ceiling for raising the nice value (20 - limit)");
    case RLIMIT_NOFILE:
        return QStringLiteral("open fds: one more than the highest fd it may open");
    case RLIMIT_NPROC:
        return QStringLiteral("processes/threads of the real user");
    case RLIMIT_RSS:
        return QStringLiteral("resident set (ignored by Linux)");
    case RLIMIT_RTPRIO:
        return QStringLiteral("real-time priority ceiling");
    case RLIMIT_RTTIME:
        return QStringLiteral("real-time CPU without blocking (µs)");
    case RLIMIT_SIGPENDING:
        return QStringLiteral("queued signals");
    case RLIMIT_STACK:
        return QStringLiteral("main thread stack (bytes)");
    default:
        return {};
    }
}

} // namespace

RlimitModel::RlimitModel(QObject *parent)
    : TableModel({{tr("Limit")},
                  {tr("Soft")},
                  {tr("Hard")},
                  {tr("spawnlab now (soft / hard)")},
                  {tr("What it limits")}},
                 parent)
{
    for (int resource : allRlimits()) {
        Row row;
        row.resource = resource;
        row.name = qs(rlimitName(resource));
        getrlimit(__rlimit_resource_t(resource), &row.current);
        row.soft = row.current.rlim_cur;
        row.hard = row.current.rlim_max;
        m_rows.append(row);
    }
    std::sort(m_rows.begin(), m_rows.end(),
              [](const Row &a, const Row &b) { return a.name < b.name; });
}

QString RlimitModel::limitText(rlim_t value)
{
    return value == RLIM_INFINITY ? QStringLiteral("unlimited") : QString::number(quint64(value));
}

std::optional<rlim_t> RlimitModel::parseLimit(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"unlimited" || t == u"infinity") return RLIM_INFINITY;
    bool ok = false;
    const qulonglong value = t.toULongLong(&ok);
    if (!ok || value == RLIM_INFINITY) return std::nullopt;
    return rlim_t(value);
}

void RlimitModel::setLimits(const std::vector<RlimitSetting> &limits)
{
    beginResetModel();
    for (Row &row : m_rows) {
        row.set = false;
        row.soft = row.current.rlim_cur;
        row.hard = row.current.rlim_max;
        row.problem.clear();
        for (const RlimitSetting &s : limits)
            if (s.resource == row.resource) {
                row.set = true;
                row.soft = s.soft;
                row.hard = s.hard;
            }
    }
    endResetModel();
}

std::vector<RlimitSetting> RlimitModel::limits() const
{
    std::vector<RlimitSetting> out;
    for (const Row &row : m_rows)
        if (row.set) out.push_back({row.resource, row.soft, row.hard});
    return out;
}

void RlimitModel::setProblems(const QList<PlanIssue> &problems)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        QString problem;
        const QString field = QStringLiteral("rlimits.") + m_rows[i].name;
        for (const PlanIssue &p : problems)
            if (p.field == field) problem += (problem.isEmpty() ? "" : "\n") + p.message;
        if (problem == m_rows[i].problem) continue;
        m_rows[i].problem = problem;
        rowsChanged(i, i);
    }
}

int RlimitModel::rowOfResource(int resource) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].resource == resource) return i;
    return -1;
}

QVariant RlimitModel::roleData(int r, int column, int role) const
{
    const Row &row = m_rows.at(r);
    switch (role) {
    case ResourceRole:
        return row.resource;
    case ProblemRole:
        return row.problem;
    case Qt::CheckStateRole:
        return column == Resource ? QVariant(row.set ? Qt::Checked : Qt::Unchecked) : QVariant();
    case Qt::ToolTipRole:
        if (!row.problem.isEmpty()) return row.problem;
        if (column == Soft || column == Hard)
            return tr("A number or \"unlimited\". The soft limit is what the kernel enforces; the "
                      "hard limit is the ceiling an unprivileged process may raise it to.");
        return QStringLiteral("RLIMIT_%1: %2")
            .arg(row.name.toUpper(), describeResource(row.resource));
    default:
        return {};
    }
}

QVariant RlimitModel::cell(int r, int column, bool forEdit) const
{
    const Row &row = m_rows.at(r);
    switch (Column(column)) {
    case Resource:
        return row.name;
    case Soft:
        return row.set || forEdit ? limitText(row.soft) : QStringLiteral("—");
    case Hard:
        return row.set || forEdit ? limitText(row.hard) : QStringLiteral("—");
    case Current:
        return limitText(row.current.rlim_cur) + QStringLiteral(" / ") +
               limitText(row.current.rlim_max);
    case Description:
        return describeResource(row.resource);
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags RlimitModel::flags(const QModelIndex &index) const
{
    if (!isCell(index)) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled;
    if (index.column() == Resource) f |= Qt::ItemIsUserCheckable;
    if (index.column() == Soft || index.column() == Hard) f |= Qt::ItemIsEditable;
    return f;
}

bool RlimitModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!isCell(index)) return false;
    Row &row = m_rows[index.row()];
    if (role == Qt::CheckStateRole && index.column() == Resource) {
        row.set = value.toInt() == Qt::Checked;
    } else if (role == Qt::EditRole && (index.column() == Soft || index.column() == Hard)) {
        auto limit = parseLimit(value.toString());
        if (!limit) return false;
        (index.column() == Soft ? row.soft : row.hard) = *limit;
        row.set = true; // typing a value means setting it
    } else {
        return false;
    }
    rowsChanged(index.row(), index.row());
    Q_EMIT edited();
    return true;
}

} // namespace spawnlab
