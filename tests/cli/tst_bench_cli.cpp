// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli bench as a user runs it: bad arguments name the option and
// exit 2, a size the machine cannot hold exits 1, and tiny runs print points
// in each format with progress on stderr.
#include "spawnlab/pidfd.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <gnu/libc-version.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace {

struct Finished {
    int exitCode = -1;
    QByteArray out, err;
};

// stdoutFile: where stdout goes instead of a pipe (e.g. /dev/full).
Finished cli(const QStringList &args, const QString &stdoutFile = QString())
{
    QProcess process;
    if (!stdoutFile.isEmpty()) process.setStandardOutputFile(stdoutFile);
    process.start(QStringLiteral(SPAWNLAB_CLI), QStringList{"bench"} + args);
    Finished f;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        return f;
    }
    f.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    f.out = process.readAllStandardOutput();
    f.err = process.readAllStandardError();
    return f;
}

const QStringList contractKeys{"strategy", "rss_mb",    "rss_kb_measured", "runs",   "min_us",
                               "p10_us",   "median_us", "p90_us",          "p99_us", "mean_us"};

const QStringList tiny{
    "--strategies", "vfork,raw_vfork", "--sizes-mb", "0", "--runs", "3", "--warmup", "1"};

// A run long enough to be interrupted (its points come at the end), whose
// csv header on stdout says the worker is past its start-up.
const QStringList endless{"--strategies", "raw_vfork", "--sizes-mb", "0",        "--runs",
                          "1000000",      "--warmup",  "0",          "--format", "csv"};

// Every number option and its range; each value below is outside it.
const QList<QPair<QString, QStringList>> numberOptions{
    {"--runs", {}},
    {"--warmup", {}},
    {"--passes", {}},
    {"--sizes-mb", {}},
    {"--open-fds", {"--series", "close_fds"}},
    {"--nofile", {"--series", "close_fds"}},
};

bool readLine(int fd, QByteArray &line)
{
    char c;
    for (;;) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n != 1) return false;
        if (c == '\n') return true;
        line += c;
    }
}

// Waits (inotify on `root` and on every folder made below it) until a folder
// whose name starts with `prefix` is made anywhere below `root`.
bool waitForFolderNamed(const QString &root, const QByteArray &prefix, int timeoutMs = 60000)
{
    const int watch = ::inotify_init1(IN_CLOEXEC);
    if (watch < 0) return false;
    std::map<int, QString> folders; // watch descriptor -> its folder
    bool found = false;
    // Watched first, then listed: a folder made in between is seen either way.
    std::function<void(const QString &)> add = [&](const QString &folder) {
        const int wd = ::inotify_add_watch(watch, QFile::encodeName(folder).constData(),
                                           IN_CREATE | IN_ONLYDIR);
        if (wd >= 0) folders[wd] = folder;
        for (const QString &name : QDir(folder).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            if (QFile::encodeName(name).startsWith(prefix)) found = true;
            add(folder + QLatin1Char('/') + name);
        }
    };
    add(root);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!found) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{watch, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, int(left.count())) != 1) break;
        alignas(inotify_event) char events[4096];
        const ssize_t n = ::read(watch, events, sizeof events);
        for (ssize_t at = 0; at < n;) {
            const auto *e = reinterpret_cast<const inotify_event *>(events + at);
            at += ssize_t(sizeof(inotify_event) + e->len);
            if (!(e->mask & IN_ISDIR) || e->len == 0 || !folders.count(e->wd)) continue;
            const QByteArray name(e->name);
            if (name.startsWith(prefix)) found = true;
            add(folders[e->wd] + QLatin1Char('/') + QFile::decodeName(name));
        }
    }
    ::close(watch);
    return found;
}

} // namespace

class TestBenchCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badArgumentsNameTheOption_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("option");
        QTest::newRow("runs not a number") << QStringList{"--runs", "many"} << "--runs";
        QTest::newRow("runs zero") << QStringList{"--runs=0"} << "--runs";
        QTest::newRow("runs missing") << QStringList{"--runs"} << "--runs";
        QTest::newRow("unknown strategy")
            << QStringList{"--strategies", "fork,spoon"} << "--strategies";
        QTest::newRow("empty strategy")
            << QStringList{"--strategies", "fork,,vfork"} << "--strategies";
        QTest::newRow("size not a number") << QStringList{"--sizes-mb", "0,1G"} << "--sizes-mb";
        QTest::newRow("negative size") << QStringList{"--sizes-mb", "-1"} << "--sizes-mb";
        QTest::newRow("format") << QStringList{"--format", "xml"} << "--format";
        QTest::newRow("thp") << QStringList{"--thp", "maybe"} << "--thp";
        QTest::newRow("series") << QStringList{"--series", "gpu"} << "--series";
        QTest::newRow("target missing")
            << QStringList{"--target", "/nonexistent/noop"} << "--target";
        QTest::newRow("target not a path")
            << QStringList{"--target", "true"} << "--target: \"true\" is not a path";
        QTest::newRow("close method")
            << QStringList{"--series", "close_fds", "--close-methods", "magic"}
            << "--close-methods";
        QTest::newRow("close_fds posix_spawn")
            << QStringList{"--series", "close_fds", "--strategies", "posix_spawn"}
            << "--strategies";
        QTest::newRow("unknown option") << QStringList{"--fast"} << "--fast";
        QTest::newRow("shape") << QStringList{"--series", "memory", "--shapes", "touched,flat"}
                               << "--shapes";
        QTest::newRow("vmas zero") << QStringList{"--series", "memory", "--vmas", "0"} << "--vmas";
        QTest::newRow("vmas above vm.max_map_count")
            << QStringList{"--series", "memory", "--vmas", "70000"} << "--vmas";
        QTest::newRow("threads zero")
            << QStringList{"--series", "threads", "--threads", "1,0"} << "--threads";
        QTest::newRow("threads absurd")
            << QStringList{"--series", "threads", "--threads", "100000"} << "--threads";
        QTest::newRow("seconds zero")
            << QStringList{"--series", "threads", "--seconds", "0"} << "--seconds";
        QTest::newRow("seconds not a number")
            << QStringList{"--series", "threads", "--seconds", "soon"} << "--seconds";
        QTest::newRow("max-seconds negative")
            << QStringList{"--series", "close_fds", "--max-seconds", "-1"} << "--max-seconds";
        QTest::newRow("max-seconds not a number")
            << QStringList{"--series", "close_fds", "--max-seconds", "2s"} << "--max-seconds";
        QTest::newRow("max-seconds above a day")
            << QStringList{"--series", "close_fds", "--max-seconds", "86401"} << "--max-seconds";
        QTest::newRow("seconds nan")
            << QStringList{"--series", "threads", "--seconds", "nan"} << "--seconds";
        QTest::newRow("runtime") << QStringList{"--series", "runtimes", "--runtimes", "ruby"}
                                 << "--runtimes";
        QTest::newRow("runtimes take no strategies")
            << QStringList{"--series", "runtimes", "--strategies", "fork"} << "--strategies";
        QTest::newRow("threads two sizes")
            << QStringList{"--series", "threads", "--sizes-mb", "0,64"} << "--sizes-mb";
        // An option only another series reads would be ignored: refused.
        QTest::newRow("shapes in rss") << QStringList{"--shapes", "touched"} << "--shapes";
        QTest::newRow("sizes in close_fds")
            << QStringList{"--series", "close_fds", "--sizes-mb", "0"} << "--sizes-mb";
        QTest::newRow("thp in runtimes")
            << QStringList{"--series", "runtimes", "--thp", "on"} << "--thp";
        QTest::newRow("passes in threads")
            << QStringList{"--series", "threads", "--passes", "2"} << "--passes";
        // A list item twice would be two points under one name.
        QTest::newRow("strategy twice")
            << QStringList{"--strategies", "vfork,vfork"} << "--strategies: vfork is listed twice";
        QTest::newRow("size twice")
            << QStringList{"--sizes-mb", "0,64,0"} << "--sizes-mb: 0 is listed twice";
        QTest::newRow("threads twice")
            << QStringList{"--series", "threads", "--threads", "1,01"} << "--threads: 1 is listed";
        QTest::newRow("target empty") << QStringList{"--target", ""} << "--target: empty";
    }

    void badArgumentsNameTheOption()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, option);
        const Finished f = cli(args);
        QCOMPARE(f.exitCode, 2);
        QVERIFY2(f.err.contains(option.toUtf8()), f.err.constData());
        QVERIFY(f.out.isEmpty());
    }

    // Read in 64 bits and range-checked: 4294967297 once became 1 run and
    // 2147483648 a negative pass count.
    void numbersOutOfRange_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("option");
        for (const auto &[option, series] : numberOptions)
            for (const char *value :
                 {"4294967297", "2147483648", "-1", "1e3", "0x10", "99999999999999999999"})
                QTest::addRow("%s %s", qPrintable(option), value)
                    << series + QStringList{option, value} << option;
        QTest::newRow("--runs empty") << QStringList{"--runs="} << "--runs";
        QTest::newRow("--runs above its maximum") << QStringList{"--runs", "1000001"} << "--runs";
        QTest::newRow("--nofile below 16")
            << QStringList{"--series", "close_fds", "--nofile", "15"} << "--nofile";
        QTest::newRow("in a list") << QStringList{"--sizes-mb", "0,4294967297"} << "--sizes-mb";
    }

    void numbersOutOfRange()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, option);
        const Finished f = cli(args);
        QCOMPARE(f.exitCode, 2);
        QVERIFY2(f.err.startsWith("spawnlab-cli: bench: " + option.toUtf8() + ": \"") &&
                     f.err.contains("\" is not a whole number from "),
                 f.err.constData());
        QVERIFY(f.out.isEmpty());
    }

    // The result cannot be written: exit 1 and say so, in every format.
    void lostOutputFails_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--help") << QStringList{"--help"};
        for (const char *format : {"json", "jsonl", "csv"})
            QTest::newRow(format) << tiny + QStringList{"--format", format};
    }

    void lostOutputFails()
    {
        QFETCH(QStringList, args);
        const Finished f = cli(args, QStringLiteral("/dev/full"));
        QVERIFY2(f.exitCode == 1, f.err.constData());
        QVERIFY2(f.err.endsWith("spawnlab-cli: cannot write to standard output: No space left "
                                "on device (ENOSPC); the output is lost\n"),
                 f.err.constData());
    }

    // SIGHUP and SIGTERM stop the run as SIGINT (the GUI's Cancel) does: the
    // points so far are printed, the exit code says which signal.
    void interruptedBySignal_data()
    {
        QTest::addColumn<int>("sig");
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGHUP") << int(SIGHUP);
    }

    void interruptedBySignal()
    {
        QFETCH(int, sig);
        QProcess process;
        process.start(QStringLiteral(SPAWNLAB_CLI), QStringList{"bench"} + endless);
        QVERIFY(process.waitForStarted());
        while (!process.canReadLine())
            QVERIFY2(process.waitForReadyRead(60000), "no csv header");
        QVERIFY(process.readLine().startsWith("strategy,"));
        QCOMPARE(::kill(pid_t(process.processId()), sig), 0);
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 128 + sig);
        QVERIFY2(process.readAllStandardError().contains("interrupted by SIG"), "no message");
    }

    // The GUI's worker dies with the GUI: its parent is killed, it is gone at
    // once, not after its next write seconds (or here minutes) later.
    void diesWithItsParent()
    {
        int out[2];
        QCOMPARE(::pipe2(out, O_CLOEXEC), 0);
        std::vector<std::string> words{SPAWNLAB_CLI, "bench"};
        for (const QString &a : endless)
            words.push_back(a.toStdString());
        std::vector<char *> argv;
        for (std::string &w : words)
            argv.push_back(w.data());
        argv.push_back(nullptr);

        // parent -> worker, each step async-signal-safe: this test is threaded.
        const pid_t parent = ::fork();
        QVERIFY(parent >= 0);
        if (parent == 0) {
            const pid_t worker = ::fork();
            if (worker == 0) {
                const int null = ::open("/dev/null", O_RDWR);
                ::dup2(null, 0);
                ::dup2(null, 2);
                ::dup2(out[1], 1);
                ::execv(argv[0], argv.data());
                ::_exit(127);
            }
            ::write(out[1], &worker, sizeof worker);
            for (;;)
                ::pause();
        }
        ::close(out[1]);
        pid_t worker = -1;
        QCOMPARE(::read(out[0], &worker, sizeof worker), ssize_t(sizeof worker));
        struct Cleanup {
            pid_t parent, worker;
            int pidfd = -1, out;
            ~Cleanup()
            {
                ::kill(parent, SIGKILL);
                ::waitpid(parent, nullptr, 0);
                ::kill(worker, SIGKILL); // not our child: reparented, reaped elsewhere
                if (pidfd >= 0) ::close(pidfd);
                ::close(out);
            }
        } cleanup{parent, worker, -1, out[0]};
        cleanup.pidfd = ::pidfd_open(worker, 0);
        QVERIFY(cleanup.pidfd >= 0);
        QByteArray header;
        QVERIFY2(readLine(out[0], header) && header.startsWith("strategy,"), header.constData());

        QCOMPARE(::kill(parent, SIGKILL), 0);
        QCOMPARE(::waitpid(parent, nullptr, 0), parent);
        pollfd p{cleanup.pidfd, POLLIN, 0};
        QVERIFY2(::poll(&p, 1, 10000) == 1, "the worker outlived its parent by 10 s");
    }

    static bool deadOrZombie(pid_t pid)
    {
        if (::kill(pid, 0) != 0) return errno == ESRCH;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly)) return true; // reaped meanwhile
        const QByteArray text = stat.readAll();
        const qsizetype close = text.lastIndexOf(')');
        return close > 0 && text.mid(close + 2, 1) == "Z";
    }

    // A target that never exits: SIGTERM still ends the run at once, keeps
    // the points so far, and kills the target, a runtime driver's child too.
    void interruptKillsAHungTarget_data()
    {
        QTest::addColumn<QStringList>("args");
        for (const char *strategy : {"vfork", "fork", "raw_fork"})
            QTest::newRow(strategy) << QStringList{"--strategies", strategy};
        QTest::newRow("python driver")
            << QStringList{"--series", "runtimes", "--runtimes", "python"};
    }

    void interruptKillsAHungTarget()
    {
        QFETCH(QStringList, args);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray started = QFile::encodeName(dir.filePath("started"));
        QCOMPARE(::mkfifo(started.constData(), 0600), 0);
        const QString hang = dir.filePath("hang.sh");
        QFile script(hang);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\necho $$ > '" + started + "'\nexec sleep 1000\n");
        script.close();
        QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        // Opened before the run so the target's write cannot block for ever.
        const int fifo = ::open(started.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        QVERIFY(fifo >= 0);

        QProcess bench;
        bench.setStandardOutputFile(dir.filePath("out.json"));
        bench.setStandardErrorFile(dir.filePath("err.txt"));
        bench.start(QStringLiteral(SPAWNLAB_CLI),
                    QStringList{"bench", "--sizes-mb", "0", "--runs", "1", "--warmup", "0",
                                "--target", hang} +
                        args);
        pollfd ready{fifo, POLLIN, 0};
        const bool ran = ::poll(&ready, 1, 30000) == 1;
        char text[32] = {};
        const ssize_t got = ran ? ::read(fifo, text, sizeof text - 1) : -1;
        ::close(fifo);
        const pid_t target = got > 0 ? pid_t(std::atoi(text)) : -1;
        struct Cleanup {
            pid_t pid;
            ~Cleanup()
            {
                if (pid > 0) ::kill(pid, SIGKILL);
            }
        } cleanup{target};
        ::kill(pid_t(bench.processId()), SIGTERM);
        QVERIFY2(target > 0, "the target never ran");
        QVERIFY(bench.waitForFinished(20000));
        QFile err(dir.filePath("err.txt"));
        QVERIFY(err.open(QIODevice::ReadOnly));
        const QByteArray said = err.readAll();
        QCOMPARE(bench.exitStatus(), QProcess::NormalExit);
        QVERIFY2(bench.exitCode() == 128 + SIGTERM, said.constData());
        QVERIFY2(said.contains("interrupted by SIGTERM"), said.constData());
        // Killed: a target left behind would still run (a driver's child may
        // still be a zombie that init has yet to reap).
        QVERIFY2(deadOrZombie(target), "the target outlived the run");
        QFile out(dir.filePath("out.json"));
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(out.readAll()).object()["spawnlab_bench"].toInt(), 1);
    }

    // Interrupted while Go builds its driver: the go build is killed, and
    // neither the series' scratch folder nor Go's own work folder is left in
    // TMPDIR. An empty GOCACHE makes the build long enough to interrupt.
    void interruptedGoBuildLeavesNothing()
    {
        QVERIFY2(!QStandardPaths::findExecutable("go").isEmpty(),
                 "go is not on PATH (scripts/setup installs golang-go)");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString tmp = dir.filePath("tmp");
        QVERIFY(QDir().mkpath(tmp));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("TMPDIR", tmp);
        env.insert("GOCACHE", dir.filePath("gocache"));
        QProcess bench;
        bench.setProcessEnvironment(env);
        bench.setStandardOutputFile(dir.filePath("out.json"));
        bench.start(QStringLiteral(SPAWNLAB_CLI),
                    {"bench", "--series", "runtimes", "--runtimes", "go", "--sizes-mb", "0"});
        bench.setReadChannel(QProcess::StandardError);
        // Go's work folder made, wherever it is put: the build is under way.
        QVERIFY(bench.waitForStarted());
        const bool building = waitForFolderNamed(tmp, "go-build");
        QCOMPARE(::kill(pid_t(bench.processId()), SIGINT), 0);
        QVERIFY(bench.waitForFinished(60000));
        const QByteArray said = bench.readAllStandardError();
        QVERIFY2(building, said.constData());
        QVERIFY2(said.contains("go: building"), said.constData());
        QVERIFY2(bench.exitCode() == 128 + SIGINT, said.constData());
        const QStringList left =
            QDir(tmp).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(u' ')));
    }

    // The raw baselines give the target nothing but fork/vfork: still it
    // cannot write into the points or the progress.
    void targetsCannotWriteOurOutput()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString chatty = dir.filePath("chatty.sh");
        QFile script(chatty);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\necho TARGET-OUT\necho TARGET-ERR >&2\nexit 0\n");
        script.close();
        QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const Finished f = cli({"--strategies", "raw_fork,raw_vfork", "--sizes-mb", "0", "--runs",
                                "2", "--warmup", "0", "--target", chatty, "--format", "jsonl"});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        QVERIFY2(!f.out.contains("TARGET") && !f.err.contains("TARGET"), f.out.constData());
        QCOMPARE(jsonlPoints(f.out, "rss").size(), 5); // raw_fork: 2 phases, raw_vfork: 3
    }

    void sizeTooLargeIsACleanError()
    {
        const Finished f = cli({"--sizes-mb", "0,100000000", "--runs", "1"});
        QCOMPARE(f.exitCode, 1);
        QVERIFY2(f.err.contains("--sizes-mb") && f.err.contains("100000000 MiB"),
                 f.err.constData());
        QVERIFY(f.out.isEmpty());
    }

    void help()
    {
        const Finished f = cli({"--help"});
        QCOMPARE(f.exitCode, 0);
        QVERIFY(f.out.contains("--sizes-mb"));
    }

    // jsonl: the run's metadata on the first line, as the report has it at its
    // top; then the points.
    static QList<QByteArray> jsonlPoints(const QByteArray &out, const QString &series)
    {
        QList<QByteArray> lines = out.trimmed().split('\n');
        const QJsonObject meta = QJsonDocument::fromJson(lines.value(0)).object();
        if (meta["spawnlab_bench"].toInt() != 1 || meta["series"].toString() != series ||
            meta["kernel"].toString().isEmpty() || meta.contains("points"))
            return {"not the metadata: " + lines.value(0)};
        lines.removeFirst();
        return lines;
    }

    void jsonl()
    {
        const Finished f = cli(tiny + QStringList{"--format", "jsonl"});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        const QList<QByteArray> lines = jsonlPoints(f.out, "rss");
        QCOMPARE(lines.size(), 6); // two strategies, three phases each
        QStringList phases;
        for (const QByteArray &line : lines) {
            const QJsonObject point = QJsonDocument::fromJson(line).object();
            phases << point["phase"].toString();
            for (const QString &key : contractKeys)
                QVERIFY2(point.contains(key), qPrintable(key));
            QCOMPARE(point["runs"].toInt(), 3);
            QVERIFY(point["median_us"].toDouble() > 0);
        }
        QCOMPARE(phases, (QStringList{"round_trip", "exec_confirmed", "spawn_returned",
                                      "round_trip", "exec_confirmed", "spawn_returned"}));
        QVERIFY2(f.err.contains("[1/2] vfork at 0 MiB: median "), f.err.constData());
        // The progress line names each phase it shows.
        const QRegularExpression line("\\[1/2\\] vfork at 0 MiB: median \\d+ us \\(exec confirmed "
                                      "\\d+ us, returned \\d+ us\\)\n");
        QVERIFY2(line.match(QString::fromUtf8(f.err)).hasMatch(), f.err.constData());
        QVERIFY(f.err.contains("[2/2] raw_vfork at 0 MiB"));
        QVERIFY(f.err.contains("\nprogress: 1/1\n")); // one size, one pass
    }

    void json()
    {
        const Finished f = cli(tiny);
        QVERIFY2(f.exitCode == 0, f.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(f.out).object();
        for (const char *key :
             {"kernel", "cpu", "glibc", "machine", "cpu_vulnerabilities", "thp", "target", "runs"})
            QVERIFY2(report.contains(QLatin1String(key)), key);
        // The environment is this machine's, read where it is kept.
        QCOMPARE(report["glibc"].toString(), QString::fromLatin1(gnu_get_libc_version()));
        QVERIFY(report["machine"].toString().startsWith(QLatin1String("vm (")) ||
                report["machine"].toString() == QLatin1String("bare metal"));
        const QDir vulnerabilities(QStringLiteral("/sys/devices/system/cpu/vulnerabilities"));
        QCOMPARE(report["cpu_vulnerabilities"].toObject().size(),
                 qsizetype(vulnerabilities.entryList(QDir::Files).size()));
        QCOMPARE(report["runs"].toInt(), 3);
        QVERIFY(report["target"].toString().endsWith("spawnlab-noop"));
        QCOMPARE(report["points"].toArray().size(), 6);
    }

    // The floor target: no libc, so its exec is the kernel's alone; it really
    // runs (every sample reaped with exit 0) and the report names it.
    void floorTarget()
    {
        const Finished f = cli(tiny + QStringList{"--target", "floor"});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(f.out).object();
        QVERIFY2(report["target"].toString().endsWith("spawnlab-noop-floor"),
                 qPrintable(report["target"].toString()));
        const QJsonArray points = report["points"].toArray();
        QCOMPARE(points.size(), 6);
        for (const QJsonValue &p : points) {
            QCOMPARE(p["failures"].toInt(), 0);
            QVERIFY(p["median_us"].toDouble() > 0);
        }
        // The sampler counts only exit 127 as a failure: the floor must exit 0 by itself.
        QProcess floor;
        floor.start(report["target"].toString(), QStringList{});
        QVERIFY(floor.waitForFinished(10000));
        QCOMPARE(floor.exitStatus(), QProcess::NormalExit);
        QCOMPARE(floor.exitCode(), 0);
    }

    void csv()
    {
        const Finished f = cli(tiny + QStringList{"--format", "csv"});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        const QList<QByteArray> lines = f.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 7);
        QVERIFY(lines[0].startsWith("strategy,rss_mb,rss_kb_measured,runs,min_us,p10_us,"
                                    "median_us,p90_us,p99_us,mean_us"));
        QVERIFY(lines[1].startsWith("vfork,0,"));
    }

    // The memory series: every shape at every size, each point saying its
    // shape and its mappings.
    void memorySeries()
    {
        const Finished f = cli({"--series", "memory", "--strategies", "vfork", "--sizes-mb", "0,64",
                                "--shapes", "reserved,vmas", "--vmas", "300", "--runs", "2",
                                "--warmup", "0", "--format", "jsonl", "--target", "floor"});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        QStringList shapes;
        for (const QByteArray &line : jsonlPoints(f.out, "memory")) {
            const QJsonObject point = QJsonDocument::fromJson(line).object();
            QCOMPARE(point["series"].toString(), "memory");
            if (point["phase"].toString() != "round_trip") continue;
            shapes << point["shape"].toString() + "@" + QString::number(point["rss_mb"].toInt());
            QVERIFY(point["vmas"].toInt() > (point["shape"].toString() == "vmas" ? 300 : 0));
        }
        QCOMPARE(shapes, (QStringList{"reserved@0", "reserved@64", "vmas@0", "vmas@64"}));
        QVERIFY2(f.err.contains("[4/4] vfork at 64 MiB vmas: median "), f.err.constData());
        QVERIFY(f.err.contains("bench: reserving (never touching) 64 MiB"));
    }

    // The threads series: a point per (threads, strategy) with its rate.
    void threadsSeries()
    {
        const Finished f =
            cli({"--series", "threads", "--strategies", "vfork", "--threads", "1,2", "--runs", "2",
                 "--seconds", "0.02", "--warmup", "0", "--format", "json"});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(f.out).object();
        QCOMPARE(report["series"].toString(), "threads");
        QCOMPARE(report["runs"].toInt(), 2);
        const QJsonArray points = report["points"].toArray();
        QCOMPARE(points.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const QJsonObject p = points[i].toObject();
            QCOMPARE(p["threads"].toInt(), i + 1);
            QCOMPARE(p["windows"].toInt(), 2);
            QCOMPARE(p["rss_mb"].toInt(), 0);
            QVERIFY(p["spawns_per_s"].toDouble() > 0);
            QVERIFY(p["spawns_per_s_p10"].toDouble() <= p["spawns_per_s_p90"].toDouble());
        }
        QVERIFY2(f.err.contains("[2/2] vfork with 2 threads: "), f.err.constData());
    }

    // The runtimes series from the CLI: Python (installed by scripts/setup)
    // measured inside itself, its driver named as it runs.
    void runtimesSeries()
    {
        const Finished f = cli({"--series", "runtimes", "--runtimes", "python", "--sizes-mb", "0",
                                "--runs", "2", "--warmup", "0", "--format", "jsonl"});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        const QList<QByteArray> lines = jsonlPoints(f.out, "runtimes");
        QCOMPARE(lines.size(), 1);
        const QJsonObject p = QJsonDocument::fromJson(lines.front()).object();
        QCOMPARE(p["series"].toString(), "runtimes");
        QCOMPARE(p["strategy"].toString(), "python");
        QCOMPARE(p["api"].toString(), "subprocess.run");
        QVERIFY(!p["version"].toString().isEmpty());
        QCOMPARE(p["runs"].toInt(), 2);
        QVERIFY2(f.err.contains("bench: python: running ") &&
                     f.err.contains("python_subprocess.py"),
                 f.err.constData());
        QVERIFY(f.err.contains("[1/1] python subprocess.run at 0 MiB: median "));
    }

    // What a run skipped is jsonl's last line too, not only stderr's: here
    // Node, kept off PATH.
    void jsonlEndsWithTheNotes()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QFile::link(QStringLiteral("/usr/bin/python3"), dir.filePath("python3")));
        QProcess bench;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), dir.path());
        bench.setProcessEnvironment(env);
        bench.start(QStringLiteral(SPAWNLAB_CLI),
                    {"bench", "--series", "runtimes", "--runtimes", "python,node", "--sizes-mb",
                     "0", "--runs", "2", "--warmup", "0", "--format", "jsonl"});
        QVERIFY(bench.waitForFinished(120000));
        const QByteArray err = bench.readAllStandardError();
        QVERIFY2(bench.exitCode() == 0, err.constData());
        const QList<QByteArray> lines = jsonlPoints(bench.readAllStandardOutput(), "runtimes");
        QCOMPARE(lines.size(), 2); // python's point, then the notes
        const QJsonObject notes = QJsonDocument::fromJson(lines.back()).object();
        QCOMPARE(notes.keys(), QStringList{"notes"});
        QCOMPARE(notes["notes"].toArray().size(), 1);
        QVERIFY2(notes["notes"][0].toString().startsWith("node: not measured"),
                 qPrintable(notes["notes"][0].toString()));
        QVERIFY(err.contains("note: node: not measured"));
    }

    void closeFdsSeries()
    {
        const Finished f =
            cli({"--series", "close_fds", "--strategies", "vfork", "--open-fds", "16", "--nofile",
                 "1024", "--runs", "3", "--warmup", "0", "--close-methods", "close_range,brute",
                 "--max-seconds", "2.5", "--format", "jsonl"});
        QVERIFY2(f.exitCode == 0, f.err.constData());
        const QList<QByteArray> lines = jsonlPoints(f.out, "close_fds");
        QCOMPARE(lines.size(), 12); // 2 x-values, 2 methods, 3 phases
        const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
        QCOMPARE(last["close_method"].toString(), "brute");
        QCOMPARE(last["nofile"].toInt(), 1024);
    }
};

QTEST_GUILESS_MAIN(TestBenchCli)
#include "tst_bench_cli.moc"
