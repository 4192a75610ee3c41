// SPDX-License-Identifier: GPL-3.0-or-later
// Output that cannot be written is an error: every command with stdout on
// /dev/full (ENOSPC) or closed (EBADF) exits 1 and says so on stderr, instead
// of exiting 0 with the result lost.
#include "cli_process.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/wait.h>
#include <unistd.h>

namespace {

const QString cliPath = QStringLiteral(SPAWNLAB_CLI);
const QString plansDir = QStringLiteral(SPAWNLAB_SOURCE_DIR "/resources/plans");

} // namespace

class TestCliOutput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lostOutputFails_data();
    void lostOutputFails();
    void usageErrorsStayUsageErrors();
    void resultSurvivesShortMemory();

private:
    QTemporaryDir m_dir;
};

void TestCliOutput::lostOutputFails_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("stdoutPath");
    QTest::addColumn<QString>("why");
    const QString self = QString::number(::getpid());
    const QList<QPair<const char *, QStringList>> commands{
        {"--help", {"--help"}},
        {"-h", {"-h"}},
        {"--version", {"--version"}},
        {"run --help", {"run", "--help"}},
        {"fds --help", {"fds", "--help"}},
        {"bench --help", {"bench", "--help"}},
        {"run", {"run", plansDir + "/env_and_umask.json"}},
        {"fds", {"fds", self}},
        {"fds --json", {"fds", self, "--json"}},
    };
    for (const auto &[name, args] : commands) {
        QTest::addRow("%s > /dev/full", name) << args << "/dev/full"
                                              << "No space left on device (ENOSPC)";
        QTest::addRow("%s >&-", name) << args << ""
                                      << "Bad file descriptor (EBADF)";
    }
}

void TestCliOutput::lostOutputFails()
{
    QFETCH(QStringList, args);
    QFETCH(QString, stdoutPath);
    QFETCH(QString, why);
    QVERIFY(m_dir.isValid());
    const QString err = m_dir.filePath(QStringLiteral("err"));
    CliProcess cli;
    QVERIFY(cli.start(cliPath, args, stdoutPath, err));
    const int status = cli.wait(60000);
    const QByteArray message = fileContents(err);
    QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 1,
             qPrintable(QStringLiteral("status %1, stderr: %2").arg(status).arg(message)));
    QVERIFY2(message.endsWith("spawnlab-cli: cannot write to standard output: " + why.toUtf8() +
                              "; the output is lost\n"),
             message.constData());
}

// A bad command line says so (exit 2) whatever stdout is: it writes nothing there.
void TestCliOutput::usageErrorsStayUsageErrors()
{
    const QString err = m_dir.filePath(QStringLiteral("err"));
    CliProcess cli;
    QVERIFY(cli.start(cliPath, {QStringLiteral("fds"), QStringLiteral("abc")},
                      QStringLiteral("/dev/full"), err));
    const int status = cli.wait(60000);
    QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 2, fileContents(err).constData());
    QVERIFY(fileContents(err).startsWith("spawnlab-cli: fds: \"abc\" is not a process id\n"));
}

// 16 MiB of NUL bytes kept are 100 MB of JSON ("\u0000" each). Under a 300 MB
// address-space limit the result is still written whole and valid, with the
// captured bytes left out and said so, instead of an abort on bad_alloc.
void TestCliOutput::resultSurvivesShortMemory()
{
#if defined(__SANITIZE_ADDRESS__)
    QSKIP("ASan reserves more address space than the limit allows");
#endif
    QFile plan(m_dir.filePath(QStringLiteral("nuls.json")));
    QVERIFY(plan.open(QIODevice::WriteOnly));
    plan.write(R"({"spawnlab_plan": 1, "argv": ["head", "-c", "100000000", "/dev/zero"],
                  "fds": [{"fd": 1, "action": "pipe_out"}]})");
    plan.close();
    const QString out = m_dir.filePath(QStringLiteral("out")), err = m_dir.filePath("err");
    CliProcess cli;
    QVERIFY(cli.start(
        QStringLiteral("/bin/sh"),
        {"-c", "ulimit -v 300000 && exec \"$0\" run \"$1\"", cliPath, plan.fileName()}, out, err));
    const int status = cli.wait(60000);
    QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, fileContents(err).constData());
    const QJsonObject result = QJsonDocument::fromJson(fileContents(out)).object();
    QCOMPARE(result["exit"].toObject(), QJsonObject({{"code", 0}}));
    const QJsonObject count = result["capture"].toObject()["1"].toObject();
    QCOMPARE(count["bytes"].toInteger(), 100000000);
    QCOMPARE(count["kept"].toInteger(), 0);
    QVERIFY(result["notes"].toArray().contains(
        QStringLiteral("spawnlab-cli ran out of memory writing the result, so the captured bytes "
                       "were left out; capture still counts them")));
}

QTEST_GUILESS_MAIN(TestCliOutput)
#include "tst_cli_output.moc"
