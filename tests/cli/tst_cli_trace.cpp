// SPDX-License-Identifier: GPL-3.0-or-later
// `spawnlab-cli trace` as a user runs it: the report (text on stderr, JSON in
// --out), the program's own output and exit code passed through, the exit
// codes of a bad command line, a missing program or pid, a full disk, and
// SIGINT / SIGKILL to the CLI mid-trace (a launched tree dies, an attached
// process runs on untraced).
#include "cli_process.h"
#include "helper_copies.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

const QString cliPath = QStringLiteral(SPAWNLAB_CLI);

struct Outcome {
    int status = -1;
    QByteArray out, err;
    int code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

struct Orphan {
    pid_t pid = -1;
    ~Orphan()
    {
        if (pid > 0 && processExists(pid)) ::kill(pid, SIGKILL);
    }
};

bool traced(pid_t pid)
{
    const QByteArray status = fileContents(QStringLiteral("/proc/%1/status").arg(pid));
    return !status.isEmpty() && !status.contains("TracerPid:\t0\n");
}

} // namespace

class TestCliTrace : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

    Outcome trace(const QStringList &args)
    {
        CliProcess cli;
        Outcome o;
        if (!cli.start(cliPath, QStringList{QStringLiteral("trace")} + args, path("out"),
                       path("err")))
            return o;
        o.status = cli.wait(60000);
        o.out = fileContents(path("out"));
        o.err = fileContents(path("err"));
        return o;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void reportNamesTheLeak()
    {
        const QString leak = spawnlab::test::helperPath(QStringLiteral("spawnlab-leak-pipe-spawn"));
        const Outcome o =
            trace({QStringLiteral("--out"), path("report.json"), QStringLiteral("--"), leak});
        QCOMPARE(o.code(), 0);
        QVERIFY2(o.err.contains("2 finding(s)"), o.err.constData());
        const QJsonObject report =
            QJsonDocument::fromJson(fileContents(path("report.json"))).object();
        const QJsonArray findings = report[u"findings"].toArray();
        QCOMPARE(findings.size(), 2);
        const QJsonObject first = findings.first().toObject();
        QCOMPARE(first[u"severity"].toString(), QStringLiteral("high"));
        QCOMPARE(first[u"fd"].toInt(), 4);
        QVERIFY(first[u"exe"].toString().endsWith(QLatin1String("/sleep")));
        const QJsonObject origin = first[u"origin"].toObject();
        QCOMPARE(origin[u"syscall"].toString(), QStringLiteral("pipe2"));
        QVERIFY(origin[u"exe"].toString().endsWith(QLatin1String("spawnlab-leak-pipe-spawn")));
        QCOMPARE(origin[u"pid"].toInt(), report[u"processes"].toArray().first()[u"pid"].toInt());
    }

    void textReportAndFailOnLeak()
    {
        const QString leak = spawnlab::test::helperPath(QStringLiteral("spawnlab-leak-pipe-spawn"));
        const Outcome o = trace({QStringLiteral("--fail-on-leak"), leak});
        QCOMPARE(o.code(), 3);
        QVERIFY2(o.err.contains("HIGH  sleep (pid ") && o.err.contains("sees no EOF") &&
                     o.err.contains("processes (2):"),
                 o.err.constData());
        QCOMPARE(trace({QStringLiteral("--fail-on-leak"), QStringLiteral("true")}).code(), 0);
    }

    void programOutputAndExitPassThrough()
    {
        const Outcome o = trace({QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                                 QStringLiteral("echo hello; echo oops >&2; exit 7")});
        QCOMPARE(o.code(), 7);
        QCOMPARE(o.out, QByteArray("hello\n"));
        QVERIFY2(o.err.startsWith("oops\n"), o.err.constData());
        const Outcome killed =
            trace({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("kill -TERM $$")});
        QCOMPARE(killed.code(), 128 + SIGTERM);
    }

    void withoutSeccompEveryCallStops()
    {
        CliProcess cli;
        const QString leak = spawnlab::test::helperPath(QStringLiteral("spawnlab-leak-pipe-spawn"));
        QVERIFY(cli.start(
            spawnlab::test::helperPath(QStringLiteral("spawnlab-no-seccomp")),
            {cliPath, QStringLiteral("trace"), QStringLiteral("--out"), path("report.json"), leak},
            path("out"), path("err")));
        const int status = cli.wait(60000);
        QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                 fileContents(path("err")).constData());
        const QJsonObject report =
            QJsonDocument::fromJson(fileContents(path("report.json"))).object();
        QCOMPARE(report[u"findings"].toArray().size(), 2);
        QCOMPARE(report[u"overhead"][u"seccomp"].toBool(), false);
        QVERIFY2(report[u"notes"].toArray().first().toString().contains(
                     QLatin1String("could not be installed (EINVAL)")),
                 fileContents(path("report.json")).constData());
    }

    void noFollowTracesOnlyTheProgram()
    {
        const QString leak = spawnlab::test::helperPath(QStringLiteral("spawnlab-leak-pipe-spawn"));
        const Outcome o = trace({QStringLiteral("--no-follow"), QStringLiteral("--fail-on-leak"),
                                 QStringLiteral("--json"), leak});
        QCOMPARE(o.code(), 0); // the sleep's leak is not seen
        const QJsonObject report = QJsonDocument::fromJson(o.err).object();
        QCOMPARE(report[u"processes"].toArray().size(), 1);
        QCOMPARE(report[u"overhead"][u"seccomp"].toBool(), false);
        QVERIFY2(report[u"notes"].toArray().first().toString().contains(
                     QLatin1String("not followed (--no-follow)")),
                 o.err.constData());
    }

    void badInput()
    {
        Outcome o = trace({QStringLiteral("/nonexistent/prog")});
        QCOMPARE(o.code(), 1);
        QVERIFY2(o.err.contains("/nonexistent/prog") && o.err.contains("ENOENT"),
                 o.err.constData());
        o = trace({});
        QCOMPARE(o.code(), 2);
        QVERIFY2(o.err.contains("missing the PROGRAM"), o.err.constData());
        for (const char *pid : {"0", "-3", "abc", "99999999999"}) {
            o = trace({QStringLiteral("--attach"), QLatin1String(pid)});
            QVERIFY2(o.code() == 2 && o.err.contains("--attach"), o.err.constData());
        }
        pid_t gone = fork();
        if (gone == 0) _exit(0);
        waitpid(gone, nullptr, 0);
        o = trace({QStringLiteral("--attach"), QString::number(gone)});
        QCOMPARE(o.code(), 1);
        QVERIFY2(o.err.contains("no process with pid " + QByteArray::number(gone)),
                 o.err.constData());
        o = trace({QStringLiteral("--attach"), QStringLiteral("1"), QStringLiteral("true")});
        QCOMPARE(o.code(), 2);
        o = trace({QStringLiteral("--out"), QStringLiteral("/dev/full"), QStringLiteral("true")});
        QCOMPARE(o.code(), 1);
        QVERIFY2(o.err.contains("/dev/full") && o.err.contains("No space left"), o.err.constData());
        o = trace({QStringLiteral("--max-processes"), QStringLiteral("0"), QStringLiteral("true")});
        QCOMPARE(o.code(), 2);
    }

    void sigintKillsALaunchedTree_data()
    {
        QTest::addColumn<int>("sig");
        QTest::addColumn<bool>("follow");
        QTest::newRow("SIGINT") << int(SIGINT) << true;
        QTest::newRow("SIGTERM") << int(SIGTERM) << true;
        QTest::newRow("SIGKILL") << int(SIGKILL) << true; // PTRACE_O_EXITKILL
        // The sleeper is not traced: killed as a child of the traced shell.
        QTest::newRow("SIGINT --no-follow") << int(SIGINT) << false;
        QTest::newRow("SIGTERM --no-follow") << int(SIGTERM) << false;
    }

    void sigintKillsALaunchedTree()
    {
        QFETCH(int, sig);
        QFETCH(bool, follow);
        const QString marker = path("started");
        QFile::remove(marker);
        QStringList args{QStringLiteral("trace")};
        if (!follow) args << QStringLiteral("--no-follow");
        args << QStringLiteral("sh") << QStringLiteral("-c")
             << QStringLiteral("sleep 1000 & echo $! > \"$0.tmp\"; mv \"$0.tmp\" \"$0\"; wait")
             << marker;
        CliProcess cli;
        QVERIFY(cli.start(cliPath, args, path("out"), path("err")));
        QVERIFY(waitForFile(marker));
        Orphan sleeper{fileContents(marker).trimmed().toInt()};
        QVERIFY(sleeper.pid > 0);
        // Wait until the child became sleep, so the signal lands mid-program.
        QVERIFY(pollUntil([&] {
            return fileContents(QStringLiteral("/proc/%1/comm").arg(sleeper.pid)) == "sleep\n";
        }));
        QCOMPARE(::kill(cli.pid, sig), 0);
        const int status = cli.wait(20000);
        QVERIFY(status != -1);
        QVERIFY(WIFSIGNALED(status));
        QCOMPARE(WTERMSIG(status), sig);
        QVERIFY2(pollUntil([&] { return !processExists(sleeper.pid); }),
                 "the tracee outlived the CLI");
        if (sig != SIGKILL)
            QVERIFY2(fileContents(path("err")).contains("stopped on request"),
                     fileContents(path("err")).constData());
    }

    void sigintDetachesFromAnAttachedProcess()
    {
        Orphan sleeper{fork()};
        if (sleeper.pid == 0) {
            execlp("sleep", "sleep", "1000", (char *)nullptr);
            _exit(127);
        }
        CliProcess cli;
        QVERIFY(cli.start(
            cliPath,
            {QStringLiteral("trace"), QStringLiteral("--attach"), QString::number(sleeper.pid)},
            path("out"), path("err")));
        // No event says "attached": TracerPid in /proc is the only witness.
        QVERIFY(pollUntil([&] { return traced(sleeper.pid); }));
        QCOMPARE(::kill(cli.pid, SIGINT), 0);
        const int status = cli.wait(20000);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
        QVERIFY(!traced(sleeper.pid));
        const QByteArray state = fileContents(QStringLiteral("/proc/%1/status").arg(sleeper.pid));
        // Sleeping, or running for a moment as it restarts its sleep; not
        // stopped (T) nor in a tracing stop (t).
        QVERIFY2(state.contains("State:\tS") || state.contains("State:\tR"), state.constData());
        ::kill(sleeper.pid, SIGKILL);
        waitpid(sleeper.pid, nullptr, 0);
        sleeper.pid = -1;
    }
};

QTEST_GUILESS_MAIN(TestCliTrace)
#include "tst_cli_trace.moc"
