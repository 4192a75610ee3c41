// SPDX-License-Identifier: GPL-3.0-or-later
// SIGINT, SIGTERM and SIGHUP to `spawnlab-cli run`: the CLI kills and reaps
// its child, then dies of the same signal. The child is a running program
// (sleep) or one blocked before exec, with every signal blocked, in an open()
// of a FIFO that nobody opens; after the CLI is reaped the child must be gone.
#include "cli_process.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

const QString cliPath = QStringLiteral(SPAWNLAB_CLI);

// A child the CLI left behind: reparented away from us, so killed by pid.
struct Orphan {
    pid_t pid = -1;
    ~Orphan()
    {
        if (pid > 0 && processExists(pid)) ::kill(pid, SIGKILL);
    }
};

} // namespace

class TestCliSignals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void signalKillsChildFirst_data();
    void signalKillsChildFirst();
    void ignoredAtStartStaysIgnored();
    void childGetsTheMaskTheCliGot_data();
    void childGetsTheMaskTheCliGot();

private:
    QTemporaryDir m_dir;
    QString m_fifo;
};

void TestCliSignals::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_fifo = m_dir.filePath(QStringLiteral("nobody-opens-this"));
    QCOMPARE(::mkfifo(QFile::encodeName(m_fifo).constData(), 0600), 0);
}

void TestCliSignals::signalKillsChildFirst_data()
{
    QTest::addColumn<QString>("plan");
    QTest::addColumn<int>("sig");
    QTest::addColumn<bool>("toGroup");   // as Ctrl-C does: the child gets it too
    QTest::addColumn<bool>("stopChild"); // SIGSTOP it first: a stopped child must die too
    // %2 is a marker the child creates once it runs the program (sh, then
    // sleep) or, before exec, right before its open() of the FIFO %1.
    const QString sleeper = QStringLiteral(
        R"({"spawnlab_plan": 1, "argv": ["sh", "-c", "touch \"$0\"; exec sleep 1000", "%2"]})");
    const QString blocked =
        QStringLiteral(R"({"spawnlab_plan": 1, "argv": ["sleep", "1000"], "strategy": "fork",)"
                       R"( "fds": [{"fd": 4, "action": "open", "path": "%2",)"
                       R"( "flags": ["O_WRONLY", "O_CREAT"]},)"
                       R"( {"fd": 5, "action": "open", "path": "%1", "flags": ["O_RDONLY"]}]})");
    const QString inspected = QStringLiteral(
        R"({"spawnlab_plan": 1, "argv": ["sh", "-c", "touch \"$0\"; exec sleep 1000", "%2"],)"
        R"( "inspect": ["before_close_fds", "after_close_fds", "after_exec"]})");
    QTest::newRow("sleep SIGTERM") << sleeper << int(SIGTERM) << false << false;
    QTest::newRow("sleep SIGINT") << sleeper << int(SIGINT) << false << false;
    QTest::newRow("sleep SIGHUP") << sleeper << int(SIGHUP) << false << false;
    QTest::newRow("sleep stopped SIGTERM") << sleeper << int(SIGTERM) << false << true;
    QTest::newRow("sleep after stop points SIGTERM") << inspected << int(SIGTERM) << false << false;
    QTest::newRow("fifo open SIGTERM") << blocked << int(SIGTERM) << false << false;
    QTest::newRow("fifo open SIGINT") << blocked << int(SIGINT) << false << false;
    QTest::newRow("fifo open Ctrl-C") << blocked << int(SIGINT) << true << false;
}

void TestCliSignals::signalKillsChildFirst()
{
    QFETCH(QString, plan);
    QFETCH(int, sig);
    QFETCH(bool, toGroup);
    QFETCH(bool, stopChild);
    const QString marker = m_dir.filePath(QStringLiteral("child-ready"));
    QFile::remove(marker);
    const QString planPath = m_dir.filePath(QStringLiteral("plan.json"));
    QFile file(planPath);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QString(plan)
                   .replace(QLatin1String("%1"), m_fifo)
                   .replace(QLatin1String("%2"), marker)
                   .toUtf8());
    file.close();
    const QString out = m_dir.filePath(QStringLiteral("out")), err = m_dir.filePath("err");

    CliProcess cli;
    QVERIFY(cli.start(cliPath, {QStringLiteral("run"), planPath}, out, err, toGroup));
    // Signal it where it hurts: in the program, or before exec (about to block,
    // or blocked, in open() of the FIFO, every signal still blocked).
    QVERIFY2(waitForFile(marker), fileContents(err).constData());
    Orphan child;
    const auto children = childrenOf(cli.pid);
    QCOMPARE(children.size(), std::size_t(1));
    child.pid = children.front();

    if (stopChild) {
        QCOMPARE(::kill(child.pid, SIGSTOP), 0);
        QVERIFY(pollUntil([&] {
            const QByteArray stat = fileContents(QStringLiteral("/proc/%1/stat").arg(child.pid));
            return stat.mid(stat.lastIndexOf(')') + 2, 1) == "T";
        }));
    }
    QCOMPARE(::kill(toGroup ? -cli.pid : cli.pid, sig), 0);
    const int status = cli.wait(20000);
    QVERIFY2(status != -1, "spawnlab-cli did not exit");
    QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == sig,
             qPrintable(QStringLiteral("status %1, stderr: %2, stdout: %3")
                            .arg(status)
                            .arg(QString::fromUtf8(fileContents(err)),
                                 QString::fromUtf8(fileContents(out)))));
    QVERIFY2(!processExists(child.pid),
             qPrintable(QStringLiteral("child %1 outlived spawnlab-cli").arg(child.pid)));
    QCOMPARE(fileContents(err),
             QStringLiteral("spawnlab-cli: run: %1: killed and reaped the child (pid %2)\n")
                 .arg(QString::fromLatin1(sigabbrev_np(sig)).prepend(QLatin1String("SIG")))
                 .arg(child.pid)
                 .toUtf8());
}

// Started under nohup, SIGHUP is no reason to stop. SIGHUP sorts before
// SIGTERM, so had the CLI taken it, it would have died of SIGHUP.
void TestCliSignals::ignoredAtStartStaysIgnored()
{
    const QString planPath = m_dir.filePath(QStringLiteral("sleep.json"));
    QFile file(planPath);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    const QString marker = m_dir.filePath(QStringLiteral("sleep-ready"));
    QFile::remove(marker);
    file.write(QStringLiteral(R"({"spawnlab_plan": 1, "argv": ["sh", "-c",)"
                              R"( "touch \"$0\"; exec sleep 1000", "%1"]})")
                   .arg(marker)
                   .toUtf8());
    file.close();
    const QString out = m_dir.filePath(QStringLiteral("out")), err = m_dir.filePath("err");
    CliProcess cli;
    cli.ignored = {SIGHUP};
    QVERIFY(cli.start(cliPath, {QStringLiteral("run"), planPath}, out, err));
    QVERIFY2(waitForFile(marker), fileContents(err).constData());
    Orphan child;
    const auto children = childrenOf(cli.pid);
    QCOMPARE(children.size(), std::size_t(1));
    child.pid = children.front();
    QCOMPARE(::kill(cli.pid, SIGHUP), 0);
    QCOMPARE(::kill(cli.pid, SIGTERM), 0);
    const int status = cli.wait(20000);
    QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, fileContents(err).constData());
    QVERIFY(!processExists(child.pid));
}

void TestCliSignals::childGetsTheMaskTheCliGot_data()
{
    QTest::addColumn<std::vector<int>>("blocked");
    QTest::addColumn<QString>("sigBlk");
    QTest::newRow("nothing blocked") << std::vector<int>{} << "0000000000000000";
    QTest::newRow("SIGUSR1 blocked") << std::vector<int>{SIGUSR1} << "0000000000000200";
}

// The CLI blocks SIGINT, SIGTERM and SIGHUP for its signal thread; a plan
// without signals.block must still give the child the mask the CLI was given.
void TestCliSignals::childGetsTheMaskTheCliGot()
{
    QFETCH(std::vector<int>, blocked);
    QFETCH(QString, sigBlk);
    const QString planPath = m_dir.filePath(QStringLiteral("mask.json"));
    QFile file(planPath);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(R"({"spawnlab_plan": 1, "argv": ["grep", "SigBlk", "/proc/self/status"],)"
               R"( "fds": [{"fd": 1, "action": "pipe_out"}]})");
    file.close();
    const QString out = m_dir.filePath(QStringLiteral("out")), err = m_dir.filePath("err");
    CliProcess cli;
    cli.blocked = blocked;
    QVERIFY(cli.start(cliPath, {QStringLiteral("run"), planPath}, out, err));
    const int status = cli.wait(20000);
    QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, fileContents(err).constData());
    QVERIFY2(fileContents(out).contains(("\"SigBlk:\\t" + sigBlk + "\\n\"").toUtf8()),
             fileContents(out).constData());
}

QTEST_GUILESS_MAIN(TestCliSignals)
#include "tst_cli_signals.moc"
