// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/resultjson.h"

#include "qs.h"

#include "plan/capturedtext.h"
#include "plan/jsonwriter.h"
#include "spawnlab/fd_json.h"
#include "spawnlab/fddiff.h"
#include "spawnlab/names.h"

#include <QJsonDocument>

namespace spawnlab {
namespace {

// One rank for all objects: a diff row's "fd", "change", "before", "after" must
// come before its "notes", so they are ranked with the result's keys.
const QStringList keyOrder = {
    // result
    "pid", "strategy", "strategy_reason", "exec_ok", "error", "exit", "captured", "captured_base64",
    "capture", "fd_tables", "fd_diffs", "fd", "change", "before", "after", "steps", "notes",
    "timings_us", "fds",
    // error, exit, capture, steps
    "step", "index", "arg", "errno", "errno_name", "message", "field", "code", "signal",
    "signal_name", "timed_out", "unknown", "bytes", "kept", "truncated", "t_us",
    // fd_tables, fd_diffs
    "parent", "before_close_fds", "after_close_fds", "after_exec", "close_fds", "exec",
    // fd entries (after "fd")
    "target", "kind", "subkind", "description", "cloexec", "access", "pos", "inode", "device",
    "socket", "anon", "peers", "leak_risk",
    // socket, anon, peers
    "protocol", "type", "local", "remote", "state", "path", "peer_inode", "detail", "count",
    "eventfd_id", "watched_fds", "clock", "value_ns", "interval_ns", "signals", "watches", "comm",
    "relation",
    // timings_us
    "prepare", "spawn", "exec_confirmed", "wait", "total"};

// errno 0 means "no error": an empty name rather than "errno 0".
QString errnoText(int err)
{
    return err ? qs(errnoName(err)) : QString();
}

QJsonValue errorToJson(const std::optional<ChildError> &error)
{
    if (!error) return QJsonValue::Null;
    return QJsonObject{{"step", qs(stepName(error->step))},
                       {"index", error->index},
                       {"errno", error->err},
                       {"errno_name", errnoText(error->err)},
                       {"message", qs(error->message)},
                       {"field", qs(error->field)}};
}

QJsonValue exitToJson(const std::optional<ExitStatus> &exit)
{
    if (!exit) return QJsonValue::Null;
    QJsonObject o;
    if (!exit->unknown.empty()) {
        o.insert("unknown", qs(exit->unknown));
    } else if (exit->exited) {
        o.insert("code", exit->code);
    } else {
        o.insert("signal", exit->signal);
        o.insert("signal_name", qs(signalName(exit->signal)));
    }
    if (exit->timedOut) o.insert("timed_out", true);
    return o;
}

QJsonArray stepsToJson(const std::vector<TraceStep> &steps)
{
    QJsonArray out;
    for (const TraceStep &s : steps)
        out.append(QJsonObject{{"step", qs(stepName(s.step))},
                               {"index", s.index},
                               {"arg", qs(s.arg)},
                               {"errno", s.err},
                               {"errno_name", errnoText(s.err)},
                               {"t_us", s.tUs}});
    return out;
}

QJsonValue optionalEntry(const std::optional<FdEntry> &e)
{
    return e ? QJsonValue(fdEntryToJson(*e)) : QJsonValue(QJsonValue::Null);
}

QJsonArray fdDiffToJson(const std::vector<FdDiffRow> &rows)
{
    QJsonArray out;
    for (const FdDiffRow &row : rows) {
        QJsonArray notes;
        for (const auto &note : row.notes)
            notes.append(qs(note));
        out.append(QJsonObject{{"fd", row.fd},
                               {"change", qs(fdChangeName(row.change))},
                               {"before", optionalEntry(row.before)},
                               {"after", optionalEntry(row.after)},
                               {"notes", notes}});
    }
    return out;
}

// What close_fds did (before -> after close_fds) and what exec did (after
// close_fds -> after exec); a diff is left out when a stop was not taken.
QJsonObject fdDiffsToJson(const std::map<InspectPoint, FdTable> &tables)
{
    QJsonObject diffs;
    auto diff = [&](const char *key, InspectPoint from, InspectPoint to) {
        auto a = tables.find(from), b = tables.find(to);
        if (a != tables.end() && b != tables.end())
            diffs.insert(key, fdDiffToJson(diffFdTables(a->second, b->second)));
    };
    diff("close_fds", InspectPoint::BeforeCloseFds, InspectPoint::AfterCloseFds);
    diff("exec", InspectPoint::AfterCloseFds, InspectPoint::AfterExec);
    return diffs;
}

} // namespace

// The entry as core writes it (fdEntryJson): one schema for every writer.
QJsonObject fdEntryToJson(const FdEntry &e)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(fdEntryJson(e))).object();
}

QJsonArray fdTableToJson(const FdTable &table, bool withLeakRisk)
{
    QJsonArray out;
    for (const FdEntry &e : table)
        out.append(QJsonDocument::fromJson(QByteArray::fromStdString(fdEntryJson(e, withLeakRisk)))
                       .object());
    return out;
}

// Valid UTF-8 goes to "captured" as text, anything else to "captured_base64":
// JSON strings cannot carry arbitrary bytes, and no byte is replaced.
void capturedToJson(const RunResult &r, QJsonObject &text, QJsonObject &base64)
{
    for (const auto &[fd, bytes] : r.captured) {
        if (auto decoded = utf8Text(bytes)) {
            text.insert(QString::number(fd), *decoded);
        } else {
            const auto raw = QByteArray::fromRawData(bytes.data(), qsizetype(bytes.size()));
            base64.insert(QString::number(fd), QString::fromLatin1(raw.toBase64()));
        }
    }
}

QJsonObject captureCountsToJson(const RunResult &r)
{
    QJsonObject out;
    for (const auto &[fd, bytes] : r.outputBytes) {
        const qint64 kept = qint64(keptBytes(r, fd));
        out.insert(QString::number(fd), QJsonObject{{"bytes", qint64(bytes)},
                                                    {"kept", kept},
                                                    {"truncated", qint64(bytes) > kept}});
    }
    return out;
}

QJsonObject resultToJson(const RunResult &r)
{
    QJsonObject captured, capturedBase64;
    capturedToJson(r, captured, capturedBase64);

    QJsonObject tables{{"parent", fdTableToJson(r.parentFds, true)}};
    for (const auto &[point, table] : r.childFds)
        tables.insert(qs(inspectPointName(point)), fdTableToJson(table));
    // every_step: "start" is the table before the first fd step.
    if (!r.fdSteps.empty()) {
        QJsonArray steps;
        for (const FdStepTable &s : r.fdSteps)
            steps.append(
                QJsonObject{{"step", s.step ? qs(stepName(*s.step)) : QStringLiteral("start")},
                            {"index", s.index},
                            {"arg", qs(s.arg)},
                            {"fds", fdTableToJson(s.fds)}});
        tables.insert(QStringLiteral("steps"), steps);
    }

    QJsonArray notes;
    for (const auto &note : r.notes)
        notes.append(qs(note));

    const Timings &t = r.timings;
    return QJsonObject{{"pid", qint64(r.pid)},
                       {"strategy", qs(strategyName(r.strategy))},
                       {"strategy_reason", qs(r.strategyReason)},
                       {"exec_ok", r.execOk()},
                       {"error", errorToJson(r.error)},
                       {"exit", exitToJson(r.exit)},
                       {"captured", captured},
                       {"captured_base64", capturedBase64},
                       {"capture", captureCountsToJson(r)},
                       {"fd_tables", tables},
                       {"fd_diffs", fdDiffsToJson(r.childFds)},
                       {"steps", stepsToJson(r.steps)},
                       {"notes", notes},
                       {"timings_us", QJsonObject{{"prepare", t.prepareUs},
                                                  {"spawn", t.spawnUs},
                                                  {"exec_confirmed", t.execConfirmedUs},
                                                  {"wait", t.waitUs},
                                                  {"total", t.totalUs}}}};
}

QByteArray resultJsonText(const RunResult &result)
{
    return indentedJson(resultToJson(result), keyOrder);
}

} // namespace spawnlab
