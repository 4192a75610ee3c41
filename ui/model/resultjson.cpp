#include "resultjson.h"

#include "jsonwriter.h"
#include "spawnlab/names.h"

namespace spawnlab {
namespace {

const QStringList keyOrder = {
    // result
    "pid", "strategy", "strategy_reason", "exec_ok", "error", "exit", "captured", "fd_tables",
    "steps", "notes", "timings_us",
    // error, exit, steps
    "step", "index", "arg", "errno", "errno_name", "message", "code", "signal", "signal_name",
    "timed_out", "t_us",
    // fd_tables
    "parent", "before_close_fds", "after_close_fds", "after_exec",
    // fd entries
    "fd", "target", "kind", "subkind", "cloexec", "access", "pos", "inode",
    // timings_us
    "prepare", "spawn", "exec_confirmed", "wait", "total"};

QString str(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// errno 0 means "no error": an empty name rather than "errno 0".
QString errnoText(int err)
{
    return err ? QString::fromStdString(errnoName(err)) : QString();
}

QJsonValue errorToJson(const std::optional<ChildError> &error)
{
    if (!error) return QJsonValue::Null;
    return QJsonObject{{"step", str(stepName(error->step))},
                       {"index", error->index},
                       {"errno", error->err},
                       {"errno_name", errnoText(error->err)},
                       {"message", QString::fromStdString(error->message)}};
}

QJsonValue exitToJson(const std::optional<ExitStatus> &exit)
{
    if (!exit) return QJsonValue::Null;
    QJsonObject o;
    if (exit->exited) {
        o.insert("code", exit->code);
    } else {
        o.insert("signal", exit->signal);
        o.insert("signal_name", QString::fromStdString(signalName(exit->signal)));
    }
    if (exit->timedOut) o.insert("timed_out", true);
    return o;
}

QJsonArray stepsToJson(const std::vector<TraceStep> &steps)
{
    QJsonArray out;
    for (const TraceStep &s : steps)
        out.append(QJsonObject{{"step", str(stepName(s.step))},
                               {"index", s.index},
                               {"arg", QString::fromStdString(s.arg)},
                               {"errno", s.err},
                               {"errno_name", errnoText(s.err)},
                               {"t_us", s.tUs}});
    return out;
}

} // namespace

QJsonObject fdEntryToJson(const FdEntry &e)
{
    return QJsonObject{{"fd", e.fd},
                       {"target", QString::fromStdString(e.target)},
                       {"kind", str(fdKindName(e.kind))},
                       {"subkind", QString::fromStdString(e.subkind)},
                       {"cloexec", e.cloexec},
                       {"access", str(fdAccessName(e.access))},
                       {"pos", qint64(e.pos)},
                       {"inode", qint64(e.inode)}};
}

QJsonArray fdTableToJson(const FdTable &table)
{
    QJsonArray out;
    for (const FdEntry &e : table)
        out.append(fdEntryToJson(e));
    return out;
}

QJsonObject resultToJson(const RunResult &r)
{
    QJsonObject captured;
    for (const auto &[fd, text] : r.captured)
        captured.insert(QString::number(fd), QString::fromStdString(text));

    QJsonObject tables{{"parent", fdTableToJson(r.parentFds)}};
    for (const auto &[point, table] : r.childFds)
        tables.insert(str(inspectPointName(point)), fdTableToJson(table));

    QJsonArray notes;
    for (const auto &note : r.notes)
        notes.append(QString::fromStdString(note));

    const Timings &t = r.timings;
    return QJsonObject{{"pid", qint64(r.pid)},
                       {"strategy", str(strategyName(r.strategy))},
                       {"strategy_reason", QString::fromStdString(r.strategyReason)},
                       {"exec_ok", r.execOk},
                       {"error", errorToJson(r.error)},
                       {"exit", exitToJson(r.exit)},
                       {"captured", captured},
                       {"fd_tables", tables},
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

QByteArray fdTableJsonText(const FdTable &table)
{
    return indentedJson(fdTableToJson(table), keyOrder);
}

} // namespace spawnlab
