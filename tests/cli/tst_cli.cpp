// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli end to end: exit codes, messages, and what the example plans do
// when they really run.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include "bad_plans.h"
#include "cli_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

namespace {

const QString cliPath = QStringLiteral(SPAWNLAB_CLI);
const QString plansDir = QStringLiteral(SPAWNLAB_SOURCE_DIR "/resources/plans");

Finished cli(const QStringList &args)
{
    QProcess process;
    process.start(cliPath, args);
    return finish(process);
}

// Runs the CLI with fd 7 open on /dev/null and inheritable, so plans can show
// what a child inherits without close_fds.
Finished cliWithFd7(const QStringList &args)
{
    QProcess process;
    process.start(QStringLiteral("/bin/sh"),
                  QStringList{"-c", "exec 7</dev/null; exec \"$0\" \"$@\"", cliPath} + args);
    return finish(process);
}

QString plan(const char *name)
{
    return plansDir + QLatin1Char('/') + QLatin1String(name);
}

QString captured(const Finished &f, int fd)
{
    return f.json["captured"].toObject()[QString::number(fd)].toString();
}

// fd -> target, from `ls -l /proc/self/fd` output.
std::map<int, QString> lsFds(const QString &listing)
{
    std::map<int, QString> fds;
    static const QRegularExpression line(QStringLiteral(R"(\s(\d+) -> (.*)$)"),
                                         QRegularExpression::MultilineOption);
    for (const auto &m : line.globalMatch(listing))
        fds[m.captured(1).toInt()] = m.captured(2);
    return fds;
}

std::set<int> tableFds(const QJsonArray &table)
{
    std::set<int> fds;
    for (const QJsonValue &e : table)
        fds.insert(e.toObject()["fd"].toInt());
    return fds;
}

#define EXPECT_EXIT(f, code) QVERIFY2((f).exitCode == (code), (f).err.constData())

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void version();
    void help_data();
    void help();
    void usageErrors_data();
    void commandHelp_data();
    void commandHelp();
    void usageErrors();
    void badPlanRunsNothing_data();
    void badPlanRunsNothing();
    void brokenPlansNameTheKey_data();
    void brokenPlansNameTheKey();
    void unknownKeyOnlyWarns();
    void examplePlansGiveResults_data();
    void examplePlansGiveResults();
    void closeFdsOnClosesInheritedFd();
    void closeFdsOffLeaksInheritedFd();
    void fdLeakShowsStops();
    void failingChdir();
    void swapShowsInCaptured();
    void setsidMakesSessionLeader();
    void envAndUmask();
    void fdsOfRunningProcess();
    void fdsOfMissingProcess();
    void fdsOfZombie();
    void fdsOfKernelThread();
    void fdsDeniedAsRootNamesPtrace();
    void fdsNamesLeakRisks();
    void fdsKeepsAStrangeNameOnOneLine();
    void holdersOfPortAndPipe();
    void holdersRefusesMalformedWhat();
    void binaryOutputIsBase64AndCounted();
    void ignoredSigchldIsTakenBack();

private:
    QString writePlan(const QString &name, const QByteArray &json);
    QTemporaryDir m_dir;
};

void TestCli::version()
{
    const Finished f = cli({"--version"});
    EXPECT_EXIT(f, 0);
    QCOMPARE(f.out, QByteArray("spawnlab-cli " SPAWNLAB_VERSION "\n"));
}

void TestCli::help_data()
{
    QTest::addColumn<QString>("flag");
    QTest::newRow("--help") << "--help";
    QTest::newRow("-h") << "-h";
}

void TestCli::help()
{
    QFETCH(QString, flag);
    const Finished f = cli({flag});
    EXPECT_EXIT(f, 0);
    for (const char *text : {"usage: spawnlab-cli", "run PLAN.json", "fds PID", "--json", "bench",
                             "--version", "--help"})
        QVERIFY2(f.out.contains(text), text);
    QVERIFY(f.err.isEmpty());
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("nothing") << QStringList{} << "missing a command";
    QTest::newRow("unknown") << QStringList{"frobnicate"} << "unknown command \"frobnicate\"";
    QTest::newRow("run alone") << QStringList{"run"}
                               << "run: missing the plan file (or -, or -- PROGRAM)";
    QTest::newRow("run two") << QStringList{"run", "a.json", "b.json"} << "run: too many arguments";
    QTest::newRow("fds alone") << QStringList{"fds"} << "fds: missing the process id";
    QTest::newRow("fds word") << QStringList{"fds", "abc"} << "fds: \"abc\" is not a process id";
    QTest::newRow("fds zero") << QStringList{"fds", "0"} << "fds: \"0\" is not a process id";
    // Read in 64 bits, then checked: none of these may wrap into a real pid.
    for (const char *pid : {"4294967297", "2147483648", "-1", "1e3", "99999999999999999999", ""})
        QTest::addRow("fds %s", pid)
            << QStringList{"fds", pid}
            << "fds: \"" + QString::fromLatin1(pid) + "\" is not a process id";
    QTest::newRow("fds flag value")
        << QStringList{"fds", "1", "--json=yes"} << "fds: --json: takes no value";
    QTest::newRow("run option") << QStringList{"run", "--stratgy", "fork", "p.json"}
                                << "run: unknown option \"--stratgy\"";
    QTest::newRow("run strategy")
        << QStringList{"run", "--strategy", "spoon", "--", "true"}
        << "run: --strategy: \"spoon\" is not one of auto, fork, vfork, clone_vm, posix_spawn";
    QTest::newRow("run inspect")
        << QStringList{"run", "--inspect", "after_exec,every_second", "--", "true"}
        << "run: --inspect: \"every_second\" is not one of before_close_fds, after_close_fds, "
           "after_exec, every_step";
    QTest::newRow("run pass-fds") << QStringList{"run", "--pass-fds", "3,x", "--", "true"}
                                  << "run: --pass-fds: \"x\" is not a whole number from 0 to "
                                     "2147483647";
    QTest::newRow("run pass-fds empty") << QStringList{"run", "--pass-fds", "3,,4", "--", "true"}
                                        << "run: --pass-fds: empty item in \"3,,4\"";
    QTest::newRow("run timeout") << QStringList{"run", "--timeout-ms", "-5", "--", "true"}
                                 << "run: --timeout-ms: \"-5\" is not a whole number from 0 to "
                                    "2147483647";
    QTest::newRow("run format") << QStringList{"run", "--format", "xml", "p.json"}
                                << "run: --format: \"xml\" is not one of json, text";
    QTest::newRow("run no program")
        << QStringList{"run", "--"} << "run: missing the PROGRAM after --";
    QTest::newRow("run both") << QStringList{"run", "p.json", "--", "true"}
                              << "run: give a plan file or -- PROGRAM, not both";
    QTest::newRow("code no lang") << QStringList{"code", "p.json"} << "code: missing --lang";
    QTest::newRow("code lang") << QStringList{"code", "--lang", "cobol", plan("setsid.json")}
                               << "code: --lang: \"cobol\" is not one of python, go, c, rust, sh";
    QTest::newRow("code alone") << QStringList{"code", "--lang", "go"}
                                << "code: missing the plan file (or - for stdin)";
    QTest::newRow("plan-from alone")
        << QStringList{"plan-from"} << "plan-from: missing the process id";
    QTest::newRow("plan-from word")
        << QStringList{"plan-from", "abc"} << "plan-from: \"abc\" is not a process id";
    QTest::newRow("plan-from negative")
        << QStringList{"plan-from", "-4"} << "plan-from: \"-4\" is not a process id";
    QTest::newRow("explain two") << QStringList{"explain", "a.json", "b.json"}
                                 << "explain: too many arguments";
    QTest::newRow("short option") << QStringList{"-x"} << "unknown option \"-x\"";
    QTest::newRow("unknown option") << QStringList{"--bogus"} << "unknown option \"--bogus\"";
    QTest::newRow("fds option") << QStringList{"fds", "1", "--jsn"}
                                << "fds: unknown option \"--jsn\"";
}

// Each command answers --help on stdout with its own usage, exit 0.
void TestCli::commandHelp_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("usage");
    QTest::newRow("run") << QStringList{"run", "--help"}
                         << "usage: spawnlab-cli run [OPTIONS] PLAN.json";
    QTest::newRow("code") << QStringList{"code", "--help"} << "usage: spawnlab-cli code --lang";
    QTest::newRow("explain") << QStringList{"explain", "-h"} << "usage: spawnlab-cli explain";
    QTest::newRow("fds") << QStringList{"fds", "-h"}
                         << "usage: spawnlab-cli fds PID [--json] [--no-peers]";
    QTest::newRow("bench") << QStringList{"bench", "--help"} << "usage: spawnlab-cli bench";
}

void TestCli::commandHelp()
{
    QFETCH(QStringList, args);
    QFETCH(QString, usage);
    const Finished f = cli(args);
    EXPECT_EXIT(f, 0);
    QVERIFY2(f.out.startsWith(usage.toUtf8()), f.out.constData());
    QVERIFY(f.err.isEmpty());
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Finished f = cli(args);
    EXPECT_EXIT(f, 2);
    QVERIFY(f.out.isEmpty());
    QVERIFY2(f.err.startsWith("spawnlab-cli: " + message.toUtf8() + "\n"), f.err.constData());
    QVERIFY(f.err.contains("usage: spawnlab-cli"));
}

void TestCli::badPlanRunsNothing_data()
{
    QTest::addColumn<QByteArray>("members");
    QTest::addColumn<QString>("message");
    QTest::newRow("wrong type") << QByteArray(R"("fds": [{"fd": "x", "action": "null"}])")
                                << "fds[0].fd: expected a whole number, got \"x\"";
    QTest::newRow("unknown signal") << QByteArray(R"("signals": {"block": ["SIGINT", "SIGNOPE"]})")
                                    << "signals.block[1]: unknown signal \"SIGNOPE\"";
    // validate(): the file is well formed, but fd 999 is not open in spawnlab-cli.
    QTest::newRow("fd not open") << QByteArray(
                                        R"("fds": [{"fd": 5, "action": "dup", "from": 999}])")
                                 << "fds[0].from: ";
}

void TestCli::badPlanRunsNothing()
{
    QFETCH(QByteArray, members);
    QFETCH(QString, message);
    QVERIFY(m_dir.isValid());
    const QString marker = m_dir.filePath(QStringLiteral("marker-") + QTest::currentDataTag());
    const QString path = m_dir.filePath(QStringLiteral("bad.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(R"({"spawnlab_plan": 1, "argv": ["touch", ")" + marker.toUtf8() + "\"], " + members +
               "}");
    file.close();

    const Finished f = cli({"run", path});
    EXPECT_EXIT(f, 2);
    QVERIFY(f.out.isEmpty());
    QVERIFY2(f.err.startsWith((path + ": " + message).toUtf8()), f.err.constData());
    QVERIFY2(!QFile::exists(marker), "the plan ran although it was rejected");
}

void TestCli::brokenPlansNameTheKey_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    for (const BadPlan &bad : badPlans())
        QTest::newRow(bad.name) << bad.json << bad.field;
}

// Every broken plan of tests/support/bad_plans.h: exit 2, a message naming the key, nothing ran.
void TestCli::brokenPlansNameTheKey()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const QString marker = m_dir.filePath(QStringLiteral("marker-broken"));
    const QString path = m_dir.filePath(QStringLiteral("broken.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(json.replace("%MARKER%", marker.toUtf8()));
    file.close();
    const Finished f = cli({"run", path});
    EXPECT_EXIT(f, 2);
    QVERIFY(f.out.isEmpty());
    const QByteArray expected = (path + ": " + (field.isEmpty() ? "" : field + ": ")).toUtf8();
    QVERIFY2(f.err.contains(expected), f.err.constData());
    QVERIFY2(!QFile::exists(marker), "the plan ran although it was rejected");
}

void TestCli::unknownKeyOnlyWarns()
{
    const QString marker = m_dir.filePath(QStringLiteral("marker-warned"));
    const QString path = m_dir.filePath(QStringLiteral("warn.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(R"({"spawnlab_plan": 1, "argv": ["touch", ")" + marker.toUtf8() +
               R"("], "foo": 1})");
    file.close();

    const Finished f = cli({"run", path});
    EXPECT_EXIT(f, 0);
    QCOMPARE(f.err, (path + ": warning: foo: unknown key, ignored\n").toUtf8());
    QVERIFY(QFile::exists(marker));
    QCOMPARE(f.json["exec_ok"].toBool(), true);
}

void TestCli::examplePlansGiveResults_data()
{
    QTest::addColumn<QString>("path");
    for (const QString &name : QDir(plansDir).entryList({QStringLiteral("*.json")}, QDir::Files))
        QTest::newRow(qPrintable(name)) << plansDir + QLatin1Char('/') + name;
}

void TestCli::examplePlansGiveResults()
{
    QFETCH(QString, path);
    const Finished f = cli({"run", path});
    QVERIFY2(f.exitCode == 0 || f.exitCode == 1, f.err.constData());
    QVERIFY2(!f.json.isEmpty(), f.out.constData());
    for (const char *key : {"pid", "strategy", "strategy_reason", "exec_ok", "error", "exit",
                            "captured", "fd_tables", "steps", "notes", "timings_us"})
        QVERIFY2(f.json.contains(QLatin1String(key)), key);
    QCOMPARE(f.exitCode == 0, f.json["exec_ok"].toBool());
    QVERIFY(f.json["pid"].toInt() > 0);
    QVERIFY(f.json["fd_tables"].toObject()["parent"].isArray());
    QVERIFY(f.json["exit"].isObject());
}

void TestCli::closeFdsOnClosesInheritedFd()
{
    const Finished f = cliWithFd7({"run", plan("ls_fds_close_fds_on.json")});
    EXPECT_EXIT(f, 0);
    const auto fds = lsFds(captured(f, 1));
    // 0, 1, 2 and the directory ls itself opened to list /proc/self/fd.
    QVERIFY2(fds.count(0) && fds.count(1) && fds.count(2), qPrintable(captured(f, 1)));
    QVERIFY2(fds.size() == 4, qPrintable(captured(f, 1)));
    QVERIFY2(fds.rbegin()->second.startsWith(QLatin1String("/proc/")), qPrintable(captured(f, 1)));
    QVERIFY(fds.rbegin()->second.endsWith(QLatin1String("/fd")));
    QVERIFY(fds.count(7) == 0);
}

void TestCli::closeFdsOffLeaksInheritedFd()
{
    const Finished f = cliWithFd7({"run", plan("ls_fds_close_fds_off.json")});
    EXPECT_EXIT(f, 0);
    const auto fds = lsFds(captured(f, 1));
    QVERIFY2(fds.count(7), qPrintable(captured(f, 1)));
    QCOMPARE(fds.at(7), QStringLiteral("/dev/null"));
}

void TestCli::fdLeakShowsStops()
{
    const Finished f = cliWithFd7({"run", plan("fd_leak.json")});
    EXPECT_EXIT(f, 0);
    QVERIFY(lsFds(captured(f, 1)).count(7));
    const QJsonObject tables = f.json["fd_tables"].toObject();
    QVERIFY(tableFds(tables["parent"].toArray()).count(7));
    for (const char *stop : {"before_close_fds", "after_close_fds"}) {
        QVERIFY2(tables.contains(QLatin1String(stop)),
                 qPrintable(QStringLiteral("%1 missing; notes: %2")
                                .arg(stop, QJsonDocument(f.json["notes"].toArray()).toJson())));
        QVERIFY2(tableFds(tables[QLatin1String(stop)].toArray()).count(7), stop);
    }
}

void TestCli::failingChdir()
{
    const Finished f = cli({"run", plan("failing_chdir.json")});
    EXPECT_EXIT(f, 1);
    QCOMPARE(f.json["exec_ok"].toBool(true), false);
    const QJsonObject error = f.json["error"].toObject();
    QCOMPARE(error["step"].toString(), QStringLiteral("chdir"));
    QCOMPARE(error["errno_name"].toString(), QStringLiteral("ENOENT"));
    QCOMPARE(error["field"].toString(), QStringLiteral("cwd")); // the plan key it came from
    QVERIFY2(error["message"].toString().contains(QLatin1String("/nonexistent/dir")),
             qPrintable(error["message"].toString()));
    QVERIFY(captured(f, 1).isEmpty());
}

void TestCli::swapShowsInCaptured()
{
    const Finished f = cli({"run", plan("swap_stdout_stderr.json")});
    EXPECT_EXIT(f, 0);
    QCOMPARE(captured(f, 1), QStringLiteral("to-stderr\n"));
    QCOMPARE(captured(f, 2), QStringLiteral("to-stdout\n"));
}

void TestCli::setsidMakesSessionLeader()
{
    const Finished f = cli({"run", plan("setsid.json")});
    EXPECT_EXIT(f, 0);
    // "  PID  PGID   SID COMMAND" then the shell's own line.
    const QStringList lines = captured(f, 1).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY2(lines.size() == 2, qPrintable(captured(f, 1)));
    const QStringList cols = lines[1].split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QVERIFY2(cols.size() >= 3, qPrintable(lines[1]));
    const int pid = f.json["pid"].toInt();
    QCOMPARE(cols[0].toInt(), pid);
    QCOMPARE(cols[1].toInt(), pid); // a new session has a new process group too
    QCOMPARE(cols[2].toInt(), pid);
}

void TestCli::envAndUmask()
{
    const Finished f = cli({"run", plan("env_and_umask.json")});
    EXPECT_EXIT(f, 0);
    QCOMPARE(captured(f, 1),
             QStringLiteral("GREETING=hello from spawnlab\nHOME=unset\numask=0077\n"));
}

void TestCli::fdsOfRunningProcess()
{
    const QString out = m_dir.filePath(QStringLiteral("sleep.out"));
    const QString err = m_dir.filePath(QStringLiteral("sleep.err"));
    QProcess sleeper;
    sleeper.setStandardInputFile(QProcess::nullDevice());
    sleeper.setStandardOutputFile(out);
    sleeper.setStandardErrorFile(err, QIODevice::Append);
    // The shell's loader is done once it runs touch: from the marker on, its
    // table is the program's own (a loader may briefly hold a library open).
    const QString marker = m_dir.filePath(QStringLiteral("sleeper-ready"));
    QFile::remove(marker);
    sleeper.start(QStringLiteral("sh"),
                  {QStringLiteral("-c"), QStringLiteral("touch \"$0\"; sleep 60"), marker});
    QVERIFY(sleeper.waitForStarted());
    const QString pid = QString::number(sleeper.processId());
    auto stop = qScopeGuard([&] {
        for (pid_t child : childrenOf(pid_t(sleeper.processId()))) // the shell's sleep
            ::kill(child, SIGKILL);
        sleeper.kill();
        sleeper.waitForFinished();
    });
    QVERIFY(waitForFile(marker));

    std::map<int, QString> expected;
    const QDir fdDir(QStringLiteral("/proc/%1/fd").arg(pid));
    for (const QString &name :
         fdDir.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
        char target[4096];
        const ssize_t n = readlink(qPrintable(fdDir.filePath(name)), target, sizeof target);
        QVERIFY(n > 0);
        expected[name.toInt()] = QString::fromLocal8Bit(target, n);
    }
    QCOMPARE(expected.at(0), QStringLiteral("/dev/null"));
    QCOMPARE(expected.at(1), out);
    QCOMPARE(expected.at(2), err);

    const Finished json = cli({"fds", pid, "--json"});
    EXPECT_EXIT(json, 0);
    const QJsonObject document = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(document["pid"].toInt(), pid.toInt());
    const QJsonArray table = document["fds"].toArray();
    std::map<int, QString> got;
    for (const QJsonValue &e : table)
        got[e.toObject()["fd"].toInt()] = e.toObject()["target"].toString();
    QCOMPARE(got, expected);
    QCOMPARE(table[0].toObject()["access"].toString(), QStringLiteral("r"));
    QCOMPARE(table[1].toObject()["access"].toString(), QStringLiteral("w"));
    QCOMPARE(table[1].toObject()["kind"].toString(), QStringLiteral("file"));

    const Finished text = cli({"fds", pid});
    EXPECT_EXIT(text, 0);
    // The table ends at the first blank line; leak-risk notes may follow it.
    const QStringList lines =
        QString::fromUtf8(text.out).section("\n\n", 0, 0).split('\n', Qt::SkipEmptyParts);
    QVERIFY2(lines.size() == int(expected.size()) + 1, text.out.constData());
    QVERIFY(lines[0].startsWith(QLatin1String("FD")));
    for (const char *column : {"MODE", "TYPE", "NODE", "NAME"})
        QVERIFY2(lines[0].contains(QLatin1String(column)), column);
    QVERIFY2(lines[1].startsWith(QLatin1String("0 ")) && lines[1].endsWith(" /dev/null"),
             qPrintable(lines[1]));
    QVERIFY2(lines[2].startsWith(QLatin1String("1 ")) && lines[2].endsWith(' ' + out),
             qPrintable(lines[2]));
}

void TestCli::fdsOfMissingProcess()
{
    const Finished f = cli({"fds", "999999999"});
    EXPECT_EXIT(f, 1);
    QVERIFY(f.out.isEmpty());
    QVERIFY2(f.err.count('\n') == 1 && f.err.contains("999999999") &&
                 f.err.contains("no such process"),
             f.err.constData());
}

// One line on stderr, exit 1, nothing on stdout: a table that cannot be read
// whole is not printed at all.
#define EXPECT_FDS_ERROR(f, text)                                                                  \
    do {                                                                                           \
        EXPECT_EXIT(f, 1);                                                                         \
        QVERIFY((f).out.isEmpty());                                                                \
        QVERIFY2((f).err.count('\n') == 1 && (f).err.startsWith("spawnlab-cli: fds: " text),       \
                 (f).err.constData());                                                             \
    } while (false)

void TestCli::fdsOfZombie()
{
    const pid_t child = fork();
    QVERIFY(child >= 0);
    if (child == 0) _exit(0);
    auto reap = qScopeGuard([&] { waitpid(child, nullptr, 0); });
    siginfo_t info{};
    QCOMPARE(waitid(P_PID, id_t(child), &info, WEXITED | WNOWAIT), 0); // exited, not reaped
    const Finished f = cli({"fds", QString::number(child)});
    const QByteArray expected = "pid " + QByteArray::number(child) + " is a zombie: ";
    EXPECT_FDS_ERROR(f, "");
    QVERIFY2(f.err.startsWith("spawnlab-cli: fds: " + expected), f.err.constData());
}

void TestCli::fdsOfKernelThread()
{
    QFile comm(QStringLiteral("/proc/2/comm"));
    if (!comm.open(QIODevice::ReadOnly) || comm.readAll() != "kthreadd\n")
        QSKIP("pid 2 is not kthreadd here");
    for (const QStringList &args : {QStringList{"fds", "2"}, QStringList{"fds", "2", "--json"}}) {
        const Finished f = cli(args);
        EXPECT_FDS_ERROR(f, "pid 2 is a kernel thread: it has no fd table\n");
    }
}

void TestCli::fdsDeniedAsRootNamesPtrace()
{
    if (geteuid() != 0) QSKIP("needs root");
    const Finished f = cli({"fds", "1"});
    if (f.exitCode == 0) QSKIP("root may read pid 1 here");
    EXPECT_FDS_ERROR(f, "pid 1: the kernel refused to show its fds (EACCES from the ptrace access "
                        "mode check");
    QVERIFY2(!f.err.contains("another user"), f.err.constData());
}

// Our own table: an inheritable pipe write end is called out below the table,
// a CLOEXEC one and stdio are not; --json says the same per entry.
// A file named with a newline and an escape sequence stays on its row, as
// lsof writes it (a\nb), rather than breaking the table or the terminal.
void TestCli::fdsKeepsAStrangeNameOnOneLine()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray name = QFile::encodeName(dir.path()) + "/a\nb\x1b[2J";
    const int fd = ::open(name.constData(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
    QVERIFY(fd >= 0);
    auto closeIt = qScopeGuard([fd] { ::close(fd); });
    const Finished text = cli({"fds", QString::number(getpid())});
    EXPECT_EXIT(text, 0);
    const QByteArray shown = QFile::encodeName(dir.path()) + "/a\\nb\\x1b[2J";
    QByteArray row;
    for (const QByteArray &line : text.out.split('\n'))
        if (line.startsWith(QByteArray::number(fd) + ' ')) row = line;
    QVERIFY2(row.endsWith(shown), text.out.constData());
    QVERIFY2(!text.out.contains('\x1b'), text.out.constData());
}

void TestCli::fdsNamesLeakRisks()
{
    int leaky[2], closing[2];
    QVERIFY(pipe2(leaky, 0) == 0);
    QVERIFY(pipe2(closing, O_CLOEXEC) == 0);
    auto closeAll = qScopeGuard([&] {
        for (int fd : {leaky[0], leaky[1], closing[0], closing[1]})
            close(fd);
    });
    const QString pid = QString::number(getpid());

    const Finished text = cli({"fds", pid});
    EXPECT_EXIT(text, 0);
    const QString out = QString::fromUtf8(text.out);
    const qsizetype blank = out.indexOf("\n\n");
    QVERIFY2(blank > 0, text.out.constData());
    const QStringList notes = out.mid(blank + 2).split('\n', Qt::SkipEmptyParts);
    auto noteFor = [&](int fd) {
        const QString prefix = QStringLiteral("fd %1 may leak, ").arg(fd);
        for (const QString &line : notes)
            if (line.startsWith(prefix)) return line;
        return QString();
    };
    const QString leak = noteFor(leaky[1]);
    QVERIFY2(leak.contains("inheritable: no CLOEXEC") && leak.contains("pipe write end") &&
                 leak.contains("EOF"),
             qPrintable(out));
    QVERIFY(noteFor(leaky[0]).contains("pipe read end"));
    for (int fd : {closing[0], closing[1], 0, 1, 2})
        QVERIFY2(noteFor(fd).isEmpty(), qPrintable(noteFor(fd)));
    // Every note is about a row of the table above it.
    const QString table = out.left(blank);
    for (const QString &note : notes)
        QVERIFY2(QRegularExpression("^fd (\\d+) (may leak, inheritable: |is also held by )")
                         .match(note)
                         .hasMatch() &&
                     table.contains(QRegularExpression("(^|\n)" + note.section(' ', 1, 1) + " ")),
                 qPrintable(note));

    const Finished json = cli({"fds", pid, "--json"});
    EXPECT_EXIT(json, 0);
    std::map<int, QJsonValue> risk;
    for (const QJsonValue &e : QJsonDocument::fromJson(json.out).object()["fds"].toArray())
        risk[e.toObject()["fd"].toInt()] = e.toObject()["leak_risk"];
    QVERIFY(risk.count(leaky[1]) && risk.count(closing[1]));
    QCOMPARE(risk[leaky[1]].toString(), leak.section(", ", 1));
    QVERIFY(risk[closing[1]].isNull());
    QVERIFY(risk[0].isNull());
}

// `holders tcp:PORT` names this process and its listening fd; `holders
// pipe:[INODE]` both ends of a pipe; nothing holding a port is exit 1.
void TestCli::holdersOfPortAndPipe()
{
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    QVERIFY(::bind(listener, reinterpret_cast<sockaddr *>(&addr), len) == 0);
    QVERIFY(::listen(listener, 1) == 0);
    QVERIFY(::getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len) == 0);
    int ends[2];
    QVERIFY(::pipe2(ends, O_CLOEXEC) == 0);
    auto closeAll = qScopeGuard([&] {
        for (int fd : {listener, ends[0], ends[1]})
            ::close(fd);
    });
    const QString port = QString::number(ntohs(addr.sin_port));

    const Finished json = cli({"holders", "tcp:" + port, "--json"});
    EXPECT_EXIT(json, 0);
    const QJsonArray holders = json.json["holders"].toArray();
    QCOMPARE(holders.size(), 1);
    QCOMPARE(holders[0].toObject()["pid"].toInt(), int(::getpid()));
    QCOMPARE(holders[0].toObject()["fd"].toInt(), listener);
    QCOMPARE(holders[0].toObject()["socket"].toObject()["state"].toString(), "LISTEN");
    QCOMPARE(holders[0].toObject()["socket"].toObject()["local"].toString(), "127.0.0.1:" + port);

    struct stat st {
    };
    QVERIFY(::fstat(ends[0], &st) == 0);
    const Finished text = cli({"holders", QStringLiteral("pipe:[%1]").arg(st.st_ino)});
    EXPECT_EXIT(text, 0);
    const QStringList rows = QString::fromUtf8(text.out).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(rows.size(), 3); // the header and both ends
    QVERIFY2(rows[0].startsWith("PID"), text.out.constData());
    for (int i : {1, 2})
        QVERIFY2(rows[i].contains(QRegularExpression(
                     QStringLiteral("^%1 +\\S+ +%2 ").arg(::getpid()).arg(ends[i - 1]))),
                 qPrintable(rows[i]));

    ::close(listener);
    const Finished none = cli({"holders", "tcp:" + port});
    EXPECT_EXIT(none, 1);
    QVERIFY2(none.err.contains("nothing holds tcp:" + port.toUtf8()), none.err.constData());
}

void TestCli::holdersRefusesMalformedWhat()
{
    for (const char *what : {"tcp:http", "udp:70000", "pipe:x", "unix:"}) {
        const Finished f = cli({"holders", what});
        EXPECT_EXIT(f, 2);
        QVERIFY2(f.err.startsWith("spawnlab-cli: holders: \"" + QByteArray(what)),
                 f.err.constData());
    }
    const Finished missing = cli({"holders", "/nonexistent/spawnlab"});
    EXPECT_EXIT(missing, 1);
    QVERIFY2(missing.err.contains("\"/nonexistent/spawnlab\": cannot stat it: No such file or "
                                  "directory (ENOENT)"),
             missing.err.constData());
    // A path with a control byte is quoted and escaped, not written raw.
    const Finished control = cli({"holders", QStringLiteral("a\x01"
                                                            "b")});
    EXPECT_EXIT(control, 1);
    QVERIFY2(control.err.contains("\"a\\u0001b\": cannot stat it"), control.err.constData());
}

QTEST_GUILESS_MAIN(TestCli)
QString TestCli::writePlan(const QString &name, const QByteArray &json)
{
    QFile file(m_dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size()) return {};
    return file.fileName();
}

// Bytes that are not UTF-8 arrive exactly, as base64; the limit cuts and counts.
void TestCli::binaryOutputIsBase64AndCounted()
{
    const QString path =
        writePlan("binary.json", R"({"spawnlab_plan": 1, "argv": ["printf", "\\377\\000AB"],
                          "fds": [{"fd": 1, "action": "pipe_out"}],
                          "capture_limit_bytes": 3})");
    QVERIFY(!path.isEmpty());
    const Finished f = cli({"run", path});
    EXPECT_EXIT(f, 0);
    QCOMPARE(f.json["captured"].toObject(), QJsonObject());
    QCOMPARE(f.json["captured_base64"].toObject(), QJsonObject({{"1", "/wBB"}}));
    QCOMPARE(f.json["capture"].toObject()["1"].toObject(),
             QJsonObject({{"bytes", 4}, {"kept", 3}, {"truncated", true}}));
}

// Started with SIGCHLD ignored (kept across exec), the CLI takes it back, so the
// child's exit code is still known.
void TestCli::ignoredSigchldIsTakenBack()
{
    const QString path =
        writePlan("exit3.json", R"({"spawnlab_plan": 1, "argv": ["sh", "-c", "exit 3"]})");
    QVERIFY(!path.isEmpty());
    QProcess process;
    process.start("/bin/sh", {"-c", "trap '' CHLD; exec \"$0\" run \"$1\"", cliPath, path});
    const Finished f = finish(process);
    EXPECT_EXIT(f, 0);
    QCOMPARE(f.json["exit"].toObject(), QJsonObject({{"code", 3}}));
}

#include "tst_cli.moc"
