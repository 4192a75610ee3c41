// SPDX-License-Identifier: GPL-3.0-or-later
// RunResult -> JSON: the keys and spellings of `spawnlab-cli run` (DESIGN.md).
#include "plan/resultjson.h"
#include "spawnlab/fd_json.h"

#include "spawnlab/fddiff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <sys/sysmacros.h>

#include <cerrno>
#include <csignal>

using namespace spawnlab;

class TestResultJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void failedRun();
    void exitVariants();
    void fdEntry();
    void parentLeakRisk();
    void fdDiffs();
    void fdDiffsNeedBothStops();
    void diffRowsReadInOrder();
};

namespace {

FdEntry entry(int fd, const char *target, FdKind kind, FdAccess access, bool cloexec,
              std::uint64_t inode)
{
    FdEntry e;
    e.fd = fd;
    e.target = target;
    e.kind = kind;
    e.access = access;
    e.cloexec = cloexec;
    e.inode = inode;
    e.device = makedev(0, 14);
    return e;
}

const FdEntry devNull = entry(0, "/dev/null", FdKind::CharDevice, FdAccess::Read, false, 5);
const FdEntry leakyPipe = entry(5, "pipe:[77]", FdKind::Pipe, FdAccess::Write, false, 77);
const FdEntry closingFile = entry(6, "/tmp/x", FdKind::File, FdAccess::Read, true, 9000);
const FdEntry errorPipe = entry(9, "pipe:[78]", FdKind::Pipe, FdAccess::Write, true, 78);

// A fork run with all three stops: close_fds closes the leaky pipe, exec the
// CLOEXEC ones.
RunResult threeStops()
{
    RunResult r;
    r.parentFds = {devNull, leakyPipe, closingFile};
    r.childFds[InspectPoint::BeforeCloseFds] = {devNull, leakyPipe, closingFile, errorPipe};
    r.childFds[InspectPoint::AfterCloseFds] = {devNull, errorPipe};
    r.childFds[InspectPoint::AfterExec] = {devNull};
    return r;
}

QJsonObject rowAt(const QJsonArray &rows, int fd)
{
    for (const QJsonValue &v : rows)
        if (v.toObject()["fd"].toInt() == fd) return v.toObject();
    return {};
}

} // namespace

void TestResultJson::failedRun()
{
    RunResult r;
    r.pid = 4242;
    r.strategy = Strategy::Vfork;
    r.strategyReason = "auto -> vfork: nothing needs a private address space";
    r.error = ChildError{Step::Chdir, -1, ENOENT, "chdir(\"/nope\"): ENOENT", "cwd"};
    r.exit = ExitStatus{true, 127, 0, false, {}};
    r.captured = {{1, "out\n"}, {2, ""}, {3, std::string("\xff\0z", 3)}};
    r.outputBytes = {{1, 4}, {2, 0}, {3, 9}};
    FdEntry entry;
    entry.fd = 7;
    r.parentFds = {entry};
    r.childFds[InspectPoint::BeforeCloseFds] = {entry, entry};
    r.notes = {"after_exec: not reached"};
    r.steps = {{Step::Chdir, -1, "/nope", ENOENT, 12.5}, {Step::Umask, -1, "0077", 0, 3}};
    r.timings = {1, 2, 3, 4, 10};

    const QJsonObject o = resultToJson(r);
    QCOMPARE(o.keys(), QStringList({"capture", "captured", "captured_base64", "error", "exec_ok",
                                    "exit", "fd_diffs", "fd_tables", "notes", "pid", "steps",
                                    "strategy", "strategy_reason", "timings_us"}));
    QCOMPARE(o["pid"].toInt(), 4242);
    QCOMPARE(o["strategy"].toString(), "vfork");
    QCOMPARE(o["strategy_reason"].toString(), QString::fromStdString(r.strategyReason));
    QCOMPARE(o["exec_ok"].toBool(true), false);
    QCOMPARE(o["error"].toObject(), QJsonObject({{"step", "chdir"},
                                                 {"index", -1},
                                                 {"errno", ENOENT},
                                                 {"errno_name", "ENOENT"},
                                                 {"message", "chdir(\"/nope\"): ENOENT"},
                                                 {"field", "cwd"}}));
    // The text names the field after the message, as the error's other keys.
    const QByteArray text = resultJsonText(r);
    QVERIFY2(text.indexOf("\"field\": \"cwd\"") > text.indexOf("\"message\""), text.constData());
    QCOMPARE(o["exit"].toObject(), QJsonObject({{"code", 127}}));
    // Valid UTF-8 is text; other bytes are base64, none replaced.
    QCOMPARE(o["captured"].toObject(), QJsonObject({{"1", "out\n"}, {"2", ""}}));
    QCOMPARE(o["captured_base64"].toObject(), QJsonObject({{"3", "/wB6"}}));
    QCOMPARE(o["capture"].toObject()["3"].toObject(),
             QJsonObject({{"bytes", 9}, {"kept", 3}, {"truncated", true}}));
    QCOMPARE(o["capture"].toObject()["1"].toObject(),
             QJsonObject({{"bytes", 4}, {"kept", 4}, {"truncated", false}}));
    const QJsonObject tables = o["fd_tables"].toObject();
    QCOMPARE(tables.keys(), QStringList({"before_close_fds", "parent"}));
    QCOMPARE(tables["parent"].toArray().size(), 1);
    QCOMPARE(tables["before_close_fds"].toArray().size(), 2);
    QCOMPARE(o["fd_diffs"].toObject(), QJsonObject()); // one stop: nothing to compare
    QCOMPARE(o["notes"].toArray(), QJsonArray({"after_exec: not reached"}));
    const QJsonArray steps = o["steps"].toArray();
    QCOMPARE(steps.size(), 2);
    QCOMPARE(steps[0].toObject(), QJsonObject({{"step", "chdir"},
                                               {"index", -1},
                                               {"arg", "/nope"},
                                               {"errno", ENOENT},
                                               {"errno_name", "ENOENT"},
                                               {"t_us", 12.5}}));
    QCOMPARE(steps[1].toObject()["errno_name"].toString(), QString());
    QCOMPARE(
        o["timings_us"].toObject(),
        QJsonObject(
            {{"prepare", 1}, {"spawn", 2}, {"exec_confirmed", 3}, {"wait", 4}, {"total", 10}}));

    // A failure no plan field caused (fork's EAGAIN) still has the key, empty.
    r.error = ChildError{Step::Spawn, -1, EAGAIN, "fork: EAGAIN"};
    QCOMPARE(resultToJson(r)["error"].toObject()["field"], QJsonValue(QString()));
}

void TestResultJson::exitVariants()
{
    RunResult r;
    QVERIFY(resultToJson(r)["exit"].isNull());
    QVERIFY(resultToJson(r)["error"].isNull());

    r.exit = ExitStatus{false, 0, SIGKILL, true, {}};
    QCOMPARE(resultToJson(r)["exit"].toObject(),
             QJsonObject({{"signal", SIGKILL}, {"signal_name", "SIGKILL"}, {"timed_out", true}}));
    QCOMPARE(resultToJson(r)["exec_ok"].toBool(), true);

    r.exit = ExitStatus{};
    r.exit->unknown = "exit status unknown: SIGCHLD is ignored in this process";
    QCOMPARE(resultToJson(r)["exit"].toObject(),
             QJsonObject({{"unknown", QString::fromStdString(r.exit->unknown)}}));
}

void TestResultJson::fdEntry()
{
    FdEntry e;
    e.fd = 3;
    e.target = "pipe:[1234]";
    e.kind = FdKind::Pipe;
    e.cloexec = true;
    e.access = FdAccess::Write;
    e.pos = 0;
    e.inode = 1234;
    e.device = makedev(0, 13);
    const QJsonObject o = fdEntryToJson(e);
    QCOMPARE(o.keys(), QStringList({"access", "cloexec", "description", "device", "fd", "inode",
                                    "kind", "pos", "subkind", "target"}));
    QCOMPARE(o["description"].toString(), "pipe:[1234]");
    QCOMPARE(o["device"].toString(), "0:13");
    QCOMPARE(o["fd"].toInt(), 3);
    QCOMPARE(o["target"].toString(), "pipe:[1234]");
    QCOMPARE(o["kind"].toString(), "pipe");
    QCOMPARE(o["cloexec"].toBool(), true);
    QCOMPARE(o["access"].toString(), "w");
    QCOMPARE(o["inode"].toInteger(), 1234);
    QCOMPARE(fdTableToJson({e, e}).size(), 2);
}

// The parent's entries say whether a careless child would inherit them; the
// child's tables do not (they are what the child got).
void TestResultJson::parentLeakRisk()
{
    const QJsonObject tables = resultToJson(threeStops())["fd_tables"].toObject();
    const QJsonArray parent = tables["parent"].toArray();
    QCOMPARE(parent.size(), 3);
    for (const QJsonValue &v : parent)
        QVERIFY(v.toObject().contains("leak_risk"));
    QVERIFY(parent[0].toObject()["leak_risk"].isNull()); // stdio
    QVERIFY(parent[2].toObject()["leak_risk"].isNull()); // CLOEXEC
    const QString risk = parent[1].toObject()["leak_risk"].toString();
    QCOMPARE(risk, QString::fromStdString(*leakRisk(leakyPipe)));
    QVERIFY2(risk.contains("pipe write end") && risk.contains("EOF"), qPrintable(risk));
    for (const char *stop : {"before_close_fds", "after_close_fds", "after_exec"})
        for (const QJsonValue &v : tables[stop].toArray())
            QVERIFY2(!v.toObject().contains("leak_risk"), stop);

    // `fds --json` is a process's table too: its entries carry the risk.
    const QJsonObject document =
        QJsonDocument::fromJson(QByteArray::fromStdString(fdTableJson(42, {devNull, leakyPipe})))
            .object();
    QCOMPARE(document["pid"].toInt(), 42);
    const QJsonArray fds = document["fds"].toArray();
    QVERIFY(fds[0].toObject()["leak_risk"].isNull());
    QCOMPARE(fds[1].toObject()["leak_risk"].toString(), risk);
}

void TestResultJson::fdDiffs()
{
    const QJsonObject diffs = resultToJson(threeStops())["fd_diffs"].toObject();
    QCOMPARE(diffs.keys(), QStringList({"close_fds", "exec"}));

    const QJsonArray closing = diffs["close_fds"].toArray();
    QCOMPARE(closing.size(), 4);
    QCOMPARE(rowAt(closing, 0).keys(), QStringList({"after", "before", "change", "fd", "notes"}));
    QCOMPARE(rowAt(closing, 0)["change"].toString(), "kept");
    QCOMPARE(rowAt(closing, 0)["before"].toObject(), fdEntryToJson(devNull));
    QCOMPARE(rowAt(closing, 0)["after"].toObject(), fdEntryToJson(devNull));
    QCOMPARE(rowAt(closing, 0)["notes"].toArray(), QJsonArray());
    QCOMPARE(rowAt(closing, 5)["change"].toString(), "closed");
    QCOMPARE(rowAt(closing, 5)["before"].toObject(), fdEntryToJson(leakyPipe));
    QVERIFY(rowAt(closing, 5)["after"].isNull());
    QCOMPARE(rowAt(closing, 5)["notes"].toArray(),
             QJsonArray({"closed; was pipe:[77] (write end)"}));
    QCOMPARE(rowAt(closing, 6)["change"].toString(), "closed");
    QCOMPARE(rowAt(closing, 9)["change"].toString(), "kept");

    const QJsonArray exec = diffs["exec"].toArray();
    QCOMPARE(exec.size(), 2);
    QCOMPARE(rowAt(exec, 0)["change"].toString(), "kept");
    QCOMPARE(rowAt(exec, 9)["change"].toString(), "closed");
    QCOMPARE(rowAt(exec, 9)["notes"].toArray(),
             QJsonArray({"closed; was pipe:[78] (write end)", "had CLOEXEC: exec closes it"}));
}

void TestResultJson::fdDiffsNeedBothStops()
{
    RunResult r = threeStops();
    r.childFds.erase(InspectPoint::AfterExec);
    QCOMPARE(resultToJson(r)["fd_diffs"].toObject().keys(), QStringList{"close_fds"});
    r = threeStops();
    r.childFds.erase(InspectPoint::BeforeCloseFds);
    QCOMPARE(resultToJson(r)["fd_diffs"].toObject().keys(), QStringList{"exec"});
    r.childFds.erase(InspectPoint::AfterCloseFds); // before and after exec, nothing between
    r.childFds[InspectPoint::BeforeCloseFds] = {devNull};
    QCOMPARE(resultToJson(r)["fd_diffs"].toObject(), QJsonObject());
}

// The CLI's text: fd_diffs right after fd_tables, each row fd, change, before,
// after, notes, and every entry on one line.
void TestResultJson::diffRowsReadInOrder()
{
    const QByteArray text = resultJsonText(threeStops());
    QCOMPARE(QJsonDocument::fromJson(text).object(), resultToJson(threeStops()));
    const qsizetype diffs = text.indexOf("\"fd_diffs\"");
    QVERIFY(text.indexOf("\"fd_tables\"") < diffs && diffs < text.indexOf("\"steps\""));
    const qsizetype row = text.indexOf("\"fd\": 5,", diffs);
    QVERIFY(row > diffs);
    qsizetype at = row;
    for (const char *key : {"\"change\": \"closed\"", "\"before\": {\"fd\": 5, \"target\"",
                            "\"after\": null", "\"notes\": [\"closed; was pipe"}) {
        const qsizetype next = text.indexOf(key, at);
        QVERIFY2(next > at, key);
        at = next;
    }
}

QTEST_GUILESS_MAIN(TestResultJson)
#include "tst_resultjson.moc"
