// RunResult -> JSON: the keys and spellings of `spawnlab-cli run` (DESIGN.md).
#include "resultjson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

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
};

void TestResultJson::failedRun()
{
    RunResult r;
    r.pid = 4242;
    r.strategy = Strategy::Vfork;
    r.strategyReason = "auto -> vfork: nothing needs a private address space";
    r.error = ChildError{Step::Chdir, -1, ENOENT, "chdir(\"/nope\"): ENOENT"};
    r.exit = ExitStatus{true, 127, 0, false};
    r.captured = {{1, "out\n"}, {2, ""}};
    FdEntry entry;
    entry.fd = 7;
    r.parentFds = {entry};
    r.childFds[InspectPoint::BeforeCloseFds] = {entry, entry};
    r.notes = {"after_exec: not reached"};
    r.steps = {{Step::Chdir, -1, "/nope", ENOENT, 12.5}, {Step::Umask, -1, "0077", 0, 3}};
    r.timings = {1, 2, 3, 4, 10};

    const QJsonObject o = resultToJson(r);
    QCOMPARE(o.keys(), QStringList({"captured", "error", "exec_ok", "exit", "fd_tables", "notes",
                                    "pid", "steps", "strategy", "strategy_reason", "timings_us"}));
    QCOMPARE(o["pid"].toInt(), 4242);
    QCOMPARE(o["strategy"].toString(), "vfork");
    QCOMPARE(o["strategy_reason"].toString(), QString::fromStdString(r.strategyReason));
    QCOMPARE(o["exec_ok"].toBool(true), false);
    QCOMPARE(o["error"].toObject(), QJsonObject({{"step", "chdir"},
                                                 {"index", -1},
                                                 {"errno", ENOENT},
                                                 {"errno_name", "ENOENT"},
                                                 {"message", "chdir(\"/nope\"): ENOENT"}}));
    QCOMPARE(o["exit"].toObject(), QJsonObject({{"code", 127}}));
    QCOMPARE(o["captured"].toObject(), QJsonObject({{"1", "out\n"}, {"2", ""}}));
    const QJsonObject tables = o["fd_tables"].toObject();
    QCOMPARE(tables.keys(), QStringList({"before_close_fds", "parent"}));
    QCOMPARE(tables["parent"].toArray().size(), 1);
    QCOMPARE(tables["before_close_fds"].toArray().size(), 2);
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
}

void TestResultJson::exitVariants()
{
    RunResult r;
    QVERIFY(resultToJson(r)["exit"].isNull());
    QVERIFY(resultToJson(r)["error"].isNull());

    r.execOk = true;
    r.exit = ExitStatus{false, 0, SIGKILL, true};
    QCOMPARE(resultToJson(r)["exit"].toObject(),
             QJsonObject({{"signal", SIGKILL}, {"signal_name", "SIGKILL"}, {"timed_out", true}}));
    QCOMPARE(resultToJson(r)["exec_ok"].toBool(), true);
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
    const QJsonObject o = fdEntryToJson(e);
    QCOMPARE(o.keys(),
             QStringList({"access", "cloexec", "fd", "inode", "kind", "pos", "subkind", "target"}));
    QCOMPARE(o["fd"].toInt(), 3);
    QCOMPARE(o["target"].toString(), "pipe:[1234]");
    QCOMPARE(o["kind"].toString(), "pipe");
    QCOMPARE(o["cloexec"].toBool(), true);
    QCOMPARE(o["access"].toString(), "w");
    QCOMPARE(o["inode"].toInteger(), 1234);
    QCOMPARE(fdTableToJson({e, e}).size(), 2);
}

QTEST_GUILESS_MAIN(TestResultJson)
#include "tst_resultjson.moc"
