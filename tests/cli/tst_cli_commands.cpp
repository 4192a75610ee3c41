// SPDX-License-Identifier: GPL-3.0-or-later
// The CLI as people type it: an inline plan (run -- PROGRAM), a plan on
// stdin (run -), the command line's keys over a plan file's, --format text,
// and the code and explain commands, which print what the Lab's tabs show.
#include "cli_process.h"
#include "codeexport/codeexport.h"
#include "explain/explaintext.h"
#include "plan/planfile.h"
#include "qs.h"

#include "spawnlab/bench.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

namespace {

const QString cliPath = QStringLiteral(SPAWNLAB_CLI);
const QString plansDir = QStringLiteral(SPAWNLAB_SOURCE_DIR "/resources/plans");

// The CLI run to its end (it starts nothing that outlives it), `input` on its
// stdin; through sh when `shellPrefix` sets something up first (exec 7<...).
Finished cli(const QStringList &args, const QByteArray &input = {}, const QString &shellPrefix = {})
{
    QProcess process;
    if (shellPrefix.isEmpty())
        process.start(cliPath, args);
    else
        process.start(QStringLiteral("/bin/sh"),
                      QStringList{"-c", shellPrefix + "; exec \"$0\" \"$@\"", cliPath} + args);
    process.write(input);
    process.closeWriteChannel();
    return finish(process);
}

QString plan(const char *name)
{
    return plansDir + QLatin1Char('/') + QLatin1String(name);
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

std::vector<int> tableFds(const QJsonArray &table)
{
    std::vector<int> fds;
    for (const QJsonValue &e : table)
        fds.push_back(e.toObject()[u"fd"].toInt());
    return fds;
}

// The man page's entry for `option` in a list of options (the .TP paragraph
// whose tag names it), with groff's escapes undone and its lines joined.
QString manEntry(const QString &option)
{
    const QString page = QString::fromUtf8(
        fileBytes(QStringLiteral(SPAWNLAB_SOURCE_DIR "/resources/man/spawnlab-cli.1")));
    const QStringList lines = page.split(u'\n');
    QString tag = option;
    tag.replace(QStringLiteral("-"), QStringLiteral("\\-"));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i - 1] != QLatin1String(".TP") || !lines[i].startsWith(u'.') ||
            !lines[i].section(u' ', 1, 1).startsWith(tag))
            continue;
        QStringList text;
        for (qsizetype j = i; j < lines.size() && lines[j] != QLatin1String(".TP") &&
                              lines[j] != QLatin1String(".RE");
             ++j)
            text << lines[j];
        return text.join(u' ')
            .replace(QStringLiteral("\\-"), QStringLiteral("-"))
            .remove(QStringLiteral("\\%"));
    }
    return {};
}

template <typename Numbers> QString numberList(const Numbers &values)
{
    QStringList items;
    for (const auto v : values)
        items << QString::number(v);
    return items.join(u',');
}

#define EXPECT_EXIT(f, code) QVERIFY2((f).exitCode == (code), (f).err.constData())

} // namespace

class TestCliCommands : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inlinePlanRuns()
    {
        const Finished f = cli(
            {"run", "--strategy", "fork", "--inspect", "after_exec", "--", "sh", "-c", "exit 3"});
        EXPECT_EXIT(f, 0); // the exec succeeded; the program's own code is in the result
        QCOMPARE(f.json[u"strategy"].toString(), QStringLiteral("fork"));
        QCOMPARE(f.json[u"exit"][u"code"].toInt(), 3);
        QVERIFY(f.json[u"fd_tables"].toObject().contains(u"after_exec"));
    }

    void inlineWordsReachTheProgramAsGiven()
    {
        const Finished f = cli({"run", "--format", "text", "--", "sh", "-c", "printf '<%s>' \"$@\"",
                                "sh", "a b", "", "--strategy"});
        EXPECT_EXIT(f, 0);
        QVERIFY2(f.out.startsWith("<a b><><--strategy>command: sh -c "), f.out.constData());
    }

    void optionsOverrideAPlanFile()
    {
        // The plan lists its fds with close_fds on; --pass-fds 7 keeps sh's fd 7.
        const QString listing = plan("ls_fds_close_fds_on.json");
        const Finished kept = cli({"run", "--pass-fds", "7", "--strategy", "vfork", "--inspect",
                                   "after_close_fds", listing},
                                  {}, QStringLiteral("exec 7</dev/null"));
        EXPECT_EXIT(kept, 0);
        QCOMPARE(kept.json[u"strategy"].toString(), QStringLiteral("vfork"));
        const std::vector<int> fds =
            tableFds(kept.json[u"fd_tables"][u"after_close_fds"].toArray());
        QVERIFY(std::find(fds.begin(), fds.end(), 7) != fds.end());
        const Finished timedOut = cli({"run", "--timeout-ms", "50", "--", "sleep", "30"});
        EXPECT_EXIT(timedOut, 0);
        QCOMPARE(timedOut.json[u"exit"][u"timed_out"].toBool(), true);
    }

    void planOnStdin()
    {
        const Finished f = cli({"run", "-"}, fileBytes(plan("setsid.json")));
        EXPECT_EXIT(f, 0);
        QVERIFY2(f.json[u"captured"][u"1"].toString().contains(QLatin1String("PGID")),
                 f.out.constData());
        // More than a pipe buffer (64 KiB) of plan through a pipe, which one
        // read cannot return whole: the plan is read to the end.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile bigPlan(dir.filePath(QStringLiteral("big.json")));
        QVERIFY(bigPlan.open(QIODevice::WriteOnly));
        bigPlan.write(
            "{\"spawnlab_plan\": 1, \"argv\": [\"true\"], \"env\": {\"set\": {\"PAD\": \"" +
            QByteArray(100 * 1024, 'x') + "\"}}}");
        bigPlan.close();
        QProcess piped;
        piped.start(QStringLiteral("/bin/sh"),
                    {"-c", "cat \"$1\" | \"$0\" run -", cliPath, bigPlan.fileName()});
        const Finished big = finish(piped);
        EXPECT_EXIT(big, 0);
        const Finished junk = cli({"run", "-"}, "{\"spawnlab_plan\": 1, \"argv\": [");
        EXPECT_EXIT(junk, 2);
        QVERIFY2(junk.err.startsWith("stdin: invalid JSON at line 1"), junk.err.constData());
        QVERIFY(junk.out.isEmpty());
    }

    void textFormatIsWhatAPersonReads()
    {
        const Finished failed = cli({"run", "--format", "text", plan("failing_chdir.json")});
        EXPECT_EXIT(failed, 1);
        for (const char *line : {"strategy: clone_vm (auto -> clone_vm: ",
                                 "error: the chdir step failed: "
                                 "chdir(\"/nonexistent/dir\"): ENOENT "
                                 "(plan field cwd)\n",
                                 "exit: exited 127\n", "\ntimings: prepare "})
            QVERIFY2(failed.out.contains(line), failed.out.constData());
        // close_fds off: the inheritable fd 7 of the shell that started the CLI leaks in.
        const Finished leaky = cli({"run", "--format", "text", "--no-close-fds", "--", "true"}, {},
                                   QStringLiteral("exec 7</dev/null"));
        EXPECT_EXIT(leaky, 0);
        // (ctest may hand the CLI fds of its own: they leak too, listed before or after 7)
        QVERIFY2(leaky.out.contains("\nleaks (close_fds is off):\n") &&
                     leaky.out.contains("\n  fd 7: inheritable: no CLOEXEC"),
                 leaky.out.right(600).constData());
        const Finished closed =
            cli({"run", "--format", "text", "--", "true"}, {}, QStringLiteral("exec 7</dev/null"));
        QVERIFY2(!closed.out.contains("leaks"), closed.out.constData());
        // A strange argument stays on the command's line, escaped as lsof writes names.
        const Finished strange = cli({"run", "--format", "text", "--", "true", "a\nb\x1b[2J"});
        EXPECT_EXIT(strange, 0);
        QVERIFY2(strange.out.startsWith("command: true 'a\\nb\\x1b[2J'\n"),
                 strange.out.constData());
        QVERIFY2(!strange.out.contains('\x1b'), strange.out.constData());
    }

    void codeIsTheCodeTabsExport()
    {
        const spawnlab::PlanLoad load = spawnlab::loadPlanFile(plan("swap_stdout_stderr.json"));
        QVERIFY(load.ok());
        const std::pair<const char *, spawnlab::CodeLanguage> languages[] = {
            {"python", spawnlab::CodeLanguage::Python},
            {"go", spawnlab::CodeLanguage::Go},
            {"c", spawnlab::CodeLanguage::C},
            {"rust", spawnlab::CodeLanguage::Rust},
            {"sh", spawnlab::CodeLanguage::Shell}};
        for (const auto &[key, lang] : languages) {
            const Finished f = cli({"code", "--lang", key, plan("swap_stdout_stderr.json")});
            EXPECT_EXIT(f, 0);
            QCOMPARE(QString::fromUtf8(f.out), spawnlab::exportPlan(load.plan, lang));
        }
        const Finished fromStdin =
            cli({"code", "--lang", "python", "-"}, fileBytes(plan("swap_stdout_stderr.json")));
        QCOMPARE(QString::fromUtf8(fromStdin.out),
                 spawnlab::exportPlan(load.plan, spawnlab::CodeLanguage::Python));
        const Finished missing = cli({"code", "--lang", "c", "/nonexistent/plan.json"});
        EXPECT_EXIT(missing, 2);
        QVERIFY2(missing.err.startsWith("/nonexistent/plan.json: cannot open plan file"),
                 missing.err.constData());
    }

    void explainIsTheExplainTab()
    {
        const spawnlab::PlanLoad load = spawnlab::loadPlanFile(plan("setsid.json"));
        QVERIFY(load.ok());
        const Finished f = cli({"explain", plan("setsid.json")});
        EXPECT_EXIT(f, 0);
        QCOMPARE(QString::fromUtf8(f.out),
                 spawnlab::explanationText(spawnlab::explainStrategy(load.plan)));
        QVERIFY2(f.out.contains("This child runs: signals → setsid → "), f.out.constData());
        QVERIFY2(f.out.contains("\nsetsid: setsid(): a new session"), f.out.constData());
    }

    void planFromPrintsAPlanThatRuns()
    {
        QProcess sleeper;
        QProcessEnvironment env;
        env.insert(QStringLiteral("ONLY"), QStringLiteral("this"));
        sleeper.setProcessEnvironment(env);
        sleeper.start(QStringLiteral("/bin/sleep"), {QStringLiteral("30")});
        QVERIFY(sleeper.waitForStarted()); // exec'd
        auto stop = qScopeGuard([&sleeper] {
            sleeper.kill();
            sleeper.waitForFinished();
        });
        const Finished f = cli({"plan-from", QString::number(sleeper.processId())});
        EXPECT_EXIT(f, 0);
        QCOMPARE(f.json[u"argv"].toArray(), (QJsonArray{"/bin/sleep", "30"}));
        QCOMPARE(f.json[u"env"][u"set"].toObject(), (QJsonObject{{"ONLY", "this"}}));
        QVERIFY(f.json[u"notes"].isArray());
        const Finished again =
            cli({"run", "--timeout-ms", "100", "-"}, f.out); // the plan runs as printed
        EXPECT_EXIT(again, 0);
        QCOMPARE(again.json[u"exit"][u"timed_out"].toBool(), true);
        const Finished gone = cli({"plan-from", "99999999"});
        EXPECT_EXIT(gone, 1);
        QVERIFY2(gone.err.startsWith("spawnlab-cli: plan-from: pid 99999999: no such process"),
                 gone.err.constData());
    }

    // The bash completion offers every option each command's --help lists,
    // and the values the CLI accepts.
    void completionKnowsEveryOption_data()
    {
        QTest::addColumn<QString>("command");
        for (const char *command :
             {"run", "code", "explain", "plan-from", "fds", "holders", "trace", "bench"})
            QTest::newRow(command) << QString::fromLatin1(command);
    }

    void completionKnowsEveryOption()
    {
        QFETCH(QString, command);
        const Finished help = cli({command, "--help"});
        EXPECT_EXIT(help, 0);
        static const QRegularExpression option(QStringLiteral("^  (?:-h, )?(--[a-z0-9-]+)"),
                                               QRegularExpression::MultilineOption);
        QSet<QString> listed;
        for (const auto &m : option.globalMatch(QString::fromUtf8(help.out)))
            listed << m.captured(1);
        QVERIFY(listed.contains(QStringLiteral("--help")));
        QSet<QString> offered;
        for (const QString &word : complete({command, "-"}))
            offered << word;
        QVERIFY2(offered.contains(listed),
                 qPrintable(QStringList(listed.subtract(offered).values()).join(u' ')));
    }

    void completionValues()
    {
        QCOMPARE(complete({"run", "--strategy", ""}),
                 QStringList({"auto", "fork", "vfork", "clone_vm", "posix_spawn"}));
        QCOMPARE(complete({"code", "--lang", "r"}), QStringList({"rust"}));
        QCOMPARE(complete({"run", "--format", ""}), QStringList({"json", "text"}));
        QCOMPARE(complete({"ex"}), QStringList({"explain"}));
        QVERIFY(complete({"fds", QString::number(getpid())}).contains(QString::number(getpid())));
    }

    // The man page writes the bench defaults out; they are the core's.
    void manPageStatesTheBenchDefaults_data()
    {
        using namespace spawnlab;
        const bench::RssConfig rss;
        const bench::ThreadsConfig threads;
        const bench::CloseFdsConfig closeFds;
        const bench::RuntimesConfig runtimes;
        const auto n = [](auto v) { return QString::number(v); };
        // The page gives one warmup for every series but close_fds.
        QCOMPARE(threads.warmup, rss.warmup);
        QCOMPARE(runtimes.warmup, rss.warmup);
        QCOMPARE(runtimes.runs, rss.runs);
        QCOMPARE(numberList(runtimes.sizesMb), numberList(rss.sizesMb));

        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("states");
        const auto row = [](const char *option, const QString &states) {
            QTest::addRow("%s %s", option, qPrintable(states))
                << QString::fromLatin1(option) << states;
        };
        row("--sizes-mb", "(default " + numberList(rss.sizesMb) + ")");
        row("--sizes-mb", "threads holds one size (default " + n(threads.rssMb) + ")");
        row("--runs", "(default " + n(rss.runs) + "; close_fds " + n(closeFds.runs) +
                          "; threads: windows per point, default " + n(threads.runs) + ")");
        row("--warmup", "(default " + n(rss.warmup) + "; close_fds " + n(closeFds.warmup) + ")");
        row("--passes", "(default " + n(rss.passes) + ")");
        row("--strategies", "(default " + qs(closeFds.strategy) + ")");
        row("--open-fds", "(default " + numberList(closeFds.openFds) + ")");
        row("--nofile", "(default " + numberList(closeFds.nofile) + ")");
        row("--max-seconds", "(default " + n(closeFds.maxSecondsPerCell) + ";");
        row("--vmas", "(default " + n(rss.vmaCount) + ";");
        row("--threads", "(default " + numberList(threads.threads) + ")");
        row("--seconds", "(default " + n(threads.windowSeconds) + ")");
    }

    void manPageStatesTheBenchDefaults()
    {
        QFETCH(QString, option);
        QFETCH(QString, states);
        const QString entry = manEntry(option);
        QVERIFY2(!entry.isEmpty(), qPrintable(option + " has no entry"));
        QVERIFY2(entry.contains(states), qPrintable(entry));
    }

private:
    // What the installed completion offers for `spawnlab-cli WORDS...` (the
    // last word is the one being completed).
    QStringList complete(const QStringList &words)
    {
        QStringList quoted{QStringLiteral("spawnlab-cli")};
        for (const QString &w : words)
            quoted << QLatin1Char('\'') + w + QLatin1Char('\'');
        const QString script =
            QStringLiteral("source \"$0\"; COMP_WORDS=(%1); COMP_CWORD=%2; _spawnlab_cli; "
                           "printf '%s\\n' \"${COMPREPLY[@]}\"")
                .arg(quoted.join(u' '))
                .arg(words.size());
        QProcess bash;
        bash.start(QStringLiteral("bash"),
                   {QStringLiteral("-c"), script,
                    QStringLiteral(SPAWNLAB_SOURCE_DIR "/resources/completion/spawnlab-cli")});
        if (!bash.waitForFinished(30000)) return {QStringLiteral("bash timed out")};
        return QString::fromUtf8(bash.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    }
};

QTEST_GUILESS_MAIN(TestCliCommands)
#include "tst_cli_commands.moc"
