// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/signalmodel.h"

#include "qs.h"

#include "spawnlab/names.h"

#include <signal.h>

#include <algorithm>

namespace spawnlab {

SignalModel::SignalModel(QObject *parent)
    : TableModel({{tr("Signal")},
                  {tr("Blocked"),
                   tr("In the child's signal mask (sigprocmask): held pending, survives execve")},
                  {tr("Default"),
                   tr("Disposition back to SIG_DFL before exec (posix_spawnattr_setsigdefault)")},
                  {tr("Ignore"),
                   tr("Disposition SIG_IGN: survives execve, so the program starts ignoring it")},
                  {tr("Meaning")}},
                 parent)
{
    for (int sig = 1; sig <= SIGRTMAX; ++sig) {
        const std::string name = signalName(sig);
        if (name.empty()) continue; // 32 and 33 belong to glibc's threads
        const auto description = signalDescription(sig);
        Row row;
        row.sig = sig;
        row.name = qs(name);
        row.description = qs(description);
        m_rows.append(row);
    }
}

void SignalModel::setSpec(const SignalSpec &spec)
{
    beginResetModel();
    auto has = [](const std::vector<int> &list, int sig) {
        return std::find(list.begin(), list.end(), sig) != list.end();
    };
    m_maskSet = spec.block.has_value();
    for (Row &row : m_rows) {
        row.blocked = spec.block && has(*spec.block, row.sig);
        row.setDefault = has(spec.setDefault, row.sig);
        row.ignore = has(spec.ignore, row.sig);
        row.problem.clear();
    }
    endResetModel();
}

SignalSpec SignalModel::spec() const
{
    SignalSpec spec;
    if (m_maskSet) spec.block.emplace();
    for (const Row &row : m_rows) {
        if (m_maskSet && row.blocked) spec.block->push_back(row.sig);
        if (row.setDefault) spec.setDefault.push_back(row.sig);
        if (row.ignore) spec.ignore.push_back(row.sig);
    }
    return spec;
}

void SignalModel::setMaskSet(bool set)
{
    if (m_maskSet == set) return;
    m_maskSet = set;
    Q_EMIT dataChanged(index(0, Blocked), index(rowCount() - 1, Blocked));
}

void SignalModel::setProblems(const QList<PlanIssue> &problems)
{
    // The plan's lists are in row order, so list position i is the i-th marked row.
    const SignalSpec current = spec();
    QHash<int, QString> bySignal;
    auto collect = [&](const std::vector<int> &list, const QString &key) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const QString field = QStringLiteral("%1[%2]").arg(key).arg(i);
            for (const PlanIssue &p : problems)
                if (p.field == field)
                    bySignal[list[i]] += (bySignal[list[i]].isEmpty() ? "" : "\n") + p.message;
        }
    };
    if (current.block) collect(*current.block, QStringLiteral("signals.block"));
    collect(current.setDefault, QStringLiteral("signals.default"));
    collect(current.ignore, QStringLiteral("signals.ignore"));
    for (int i = 0; i < m_rows.size(); ++i) {
        const QString problem = bySignal.value(m_rows[i].sig);
        if (problem == m_rows[i].problem) continue;
        m_rows[i].problem = problem;
        rowsChanged(i, i);
    }
}

int SignalModel::rowOfSignal(int sig) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].sig == sig) return i;
    return -1;
}

bool &SignalModel::flag(Row &row, int column)
{
    return column == Blocked ? row.blocked : column == Default ? row.setDefault : row.ignore;
}

bool SignalModel::uncatchable(const Row &row) const
{
    return row.sig == SIGKILL || row.sig == SIGSTOP;
}

QVariant SignalModel::roleData(int r, int column, int role) const
{
    const Row &row = m_rows.at(r);
    switch (role) {
    case SignalRole:
        return row.sig;
    case ProblemRole:
        return row.problem;
    case Qt::CheckStateRole:
        if (column != Blocked && column != Default && column != Ignore) return {};
        return (column == Blocked   ? row.blocked
                : column == Default ? row.setDefault
                                    : row.ignore)
                   ? Qt::Checked
                   : Qt::Unchecked;
    case Qt::ToolTipRole:
        if (!row.problem.isEmpty()) return row.problem;
        if (uncatchable(row)) return tr("%1 cannot be blocked, caught or ignored").arg(row.name);
        if (column == Blocked && !m_maskSet)
            return tr("Turn on \"Set the signal mask\" to choose blocked signals; without it the "
                      "child keeps spawnlab's mask");
        return QStringLiteral("%1 (%2): %3").arg(row.name).arg(row.sig).arg(row.description);
    default:
        return {};
    }
}

QVariant SignalModel::cell(int r, int column, bool) const
{
    const Row &row = m_rows.at(r);
    if (column == Signal) return QStringLiteral("%1 (%2)").arg(row.name).arg(row.sig);
    if (column == Description) return row.description;
    return {}; // the flag columns are check boxes
}

Qt::ItemFlags SignalModel::flags(const QModelIndex &index) const
{
    if (!isCell(index)) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled;
    const int column = index.column();
    if (column != Blocked && column != Default && column != Ignore) return f;
    if (column == Blocked && !m_maskSet) return Qt::ItemIsSelectable;
    const Row &row = m_rows.at(index.row());
    const bool on = column == Blocked   ? row.blocked
                    : column == Default ? row.setDefault
                                        : row.ignore;
    // SIGKILL and SIGSTOP can only be unchecked (a loaded plan may list them).
    if (!uncatchable(row) || on) f |= Qt::ItemIsUserCheckable;
    return f;
}

bool SignalModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const int column = index.column();
    if (column != Blocked && column != Default && column != Ignore) return false;
    Row &row = m_rows[index.row()];
    const bool on = value.toInt() == Qt::Checked;
    if (on && uncatchable(row)) return false;
    flag(row, column) = on;
    // A disposition is one thing: default and ignore exclude each other.
    if (on && column == Default) row.ignore = false;
    if (on && column == Ignore) row.setDefault = false;
    rowsChanged(index.row(), index.row());
    Q_EMIT edited();
    return true;
}

} // namespace spawnlab
