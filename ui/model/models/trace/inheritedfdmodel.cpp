// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/trace/inheritedfdmodel.h"

#include "qs.h"

#include <QFileInfo>
#include <QStringList>

namespace spawnlab {
namespace {

QString baseName(const std::string &path)
{
    return QFileInfo(qs(path)).fileName();
}

QString carriedText(const std::vector<FdCarry> &carried)
{
    QStringList steps;
    for (const FdCarry &c : carried)
        steps << QStringLiteral("%1 → %2").arg(qs(c.how)).arg(c.pid);
    return steps.join(QStringLiteral(", "));
}

} // namespace

QString originText(const FdOrigin &o)
{
    if (!o.known) return qs(o.unknownWhy);
    return InheritedFdModel::tr("%1 in pid %2 (%3)")
        .arg(qs(o.call))
        .arg(o.pid)
        .arg(baseName(o.exe));
}

InheritedFdModel::InheritedFdModel(QObject *parent)
    : TableModel({{tr("Program"), tr("The program that was exec'd and got the fd")},
                  {tr("fd")},
                  {tr("What")},
                  {tr("Verdict")},
                  {tr("Made by"), tr("The call that made the open file, and where")},
                  {tr("Carried by"), tr("The forks that carried it to this process")},
                  {tr("Why")}},
                 parent)
{
}

void InheritedFdModel::show(const TraceReport &report, qint64 pid)
{
    beginResetModel();
    m_rows.clear();
    for (const TracedExec &e : report.execs) {
        if (e.pid != pid) continue;
        const std::string program = e.argv.empty() ? e.exe : e.argv.front();
        for (const InheritedFd &in : e.inherited)
            m_rows.push_back({program, in});
    }
    endResetModel();
}

void InheritedFdModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QVariant InheritedFdModel::roleData(int r, int, int role) const
{
    const InheritedFd &in = m_rows[std::size_t(r)].fd;
    switch (role) {
    case FdRole:
        return in.fd;
    case LeakedRole:
        return in.verdict == FdVerdict::Leaked;
    case OriginPidRole:
        return qint64(in.origin && in.origin->known ? in.origin->pid : 0);
    case Qt::ToolTipRole: {
        if (!in.origin || in.origin->stack.empty()) return qs(in.why);
        QStringList frames;
        for (const auto &f : in.origin->stack)
            frames << qs(f);
        return tr("%1\n\nmade at:\n  %2").arg(qs(in.why), frames.join(QStringLiteral("\n  ")));
    }
    default:
        return {};
    }
}

QVariant InheritedFdModel::cell(int r, int column, bool) const
{
    const Row &row = m_rows[std::size_t(r)];
    const InheritedFd &in = row.fd;
    switch (Column(column)) {
    case Program:
        return baseName(row.program);
    case Fd:
        return in.fd;
    case What:
        return qs(fdDescription(in.entry));
    case Verdict:
        return qs(verdictName(in.verdict));
    case MadeBy:
        return in.origin ? originText(*in.origin) : QString();
    case CarriedBy:
        return carriedText(in.carriedBy);
    case Why:
        return qs(in.why);
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace spawnlab
