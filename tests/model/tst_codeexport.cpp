// SPDX-License-Identifier: GPL-3.0-or-later
// "Show as code": the generated programs really make the plan's child. The
// child is spawnlab-probe, which reports its own /proc/self/fd, argv, cwd,
// environment, umask, signal masks, ids, session and limits. Each plan runs
// once through the core and once through an export (Python, bash, C and Rust
// here; Go where `go` is installed), from the same parent fds, and both
// children must report the same. What an export cannot express must be said in
// a comment, and every export of a plan using every option must compile.
#include "codeexport/codeexport.h"
#include "fd_actions.h"
#include "probe_run.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <functional>
#include <sys/resource.h>
#include <unistd.h>

using namespace spawnlab;
using namespace spawnlab::test;
using PlanEdit = std::function<void(SpawnPlan &)>;
Q_DECLARE_METATYPE(PlanEdit)

namespace {

// The parent's fd that plans dup: an inheritable file at a number above
// what the test process itself uses.
constexpr int kInheritedFd = 20;

// The kernel's O_LARGEFILE as fdinfo shows it (64-bit userspace defines it as 0).
constexpr int kKernelLargeFile = 0100000;

// fd -> "target flags", without pipe and socket inode numbers (they differ
// between any two runs), without CLOEXEC (no fd that has it survives exec)
// and without O_LARGEFILE (open(2) adds it on 64-bit: a pipe bash reopens
// through /dev/fd for a process substitution has it, one from pipe(2) not).
QMap<int, QString> normalisedFds(const ProbeRun &run)
{
    static const QRegularExpression inode(QStringLiteral("^(pipe|socket):\\[\\d+\\]$"));
    QMap<int, QString> out;
    const QJsonObject fds = run.report.value("fds").toObject();
    for (auto it = fds.begin(); it != fds.end(); ++it) {
        const QJsonObject fd = it.value().toObject();
        QString target = fd.value("target").toString();
        target.replace(inode, QStringLiteral("\\1"));
        const int flags =
            fd.value("flags").toString().toInt(nullptr, 8) & ~(O_CLOEXEC | kKernelLargeFile);
        out.insert(it.key().toInt(), QStringLiteral("%1 flags 0%2").arg(target).arg(flags, 0, 8));
    }
    return out;
}

QString describe(const QMap<int, QString> &fds)
{
    QString text;
    for (auto [fd, what] : fds.asKeyValueRange())
        text += QStringLiteral("%1 %2\n").arg(fd).arg(what);
    return text;
}

QStringList environment(const ProbeRun &run)
{
    QStringList env;
    for (const QJsonValue &entry : run.report.value("env").toArray())
        env.append(entry.toString());
    env.sort();
    return env;
}

bool hasSignal(quint64 mask, int sig)
{
    return (mask >> (sig - 1)) & 1;
}

bool leadsSession(const ProbeRun &run)
{
    return run.report.value("sid") == run.report.value("pid");
}

bool leadsGroup(const ProbeRun &run)
{
    return run.report.value("pgid") == run.report.value("pid");
}

QString readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

bool writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(text.toUtf8()) == text.toUtf8().size();
}

// The text of every comment line, joined, so a sentence wrapped over lines
// can be searched for.
QString commentText(const QString &code)
{
    static const QRegularExpression comment(QStringLiteral("^\\s*(#|//)\\s?(.*)$"));
    QStringList sentences;
    for (const QString &line : code.split(QLatin1Char('\n'))) {
        const auto match = comment.match(line);
        if (match.hasMatch()) sentences.append(match.captured(2));
    }
    return sentences.join(QLatin1Char(' '));
}

// Every option at once, and the awkward cases: pipes in odd directions and
// at fds >= 3, a dup cycle, closed stdio, text that is not UTF-8.
SpawnPlan kitchenSink(bool variant)
{
    SpawnPlan p;
    p.argv = {"my prog", "it's \"quoted\"", "a\nb\tc", "$HOME `x` \\ ?\?= %s"};
    p.executable = "cat";
    p.env.set = {{"K", "v 'w'"}, {"PATH", "/usr/bin:/bin"}};
    p.env.unset = {"HOME", "LANG"};
    p.cwd = "/tmp/a dir";
    p.umask = 077;
    p.signals.block = std::vector<int>{SIGINT, SIGRTMIN + 2};
    p.signals.setDefault = {SIGPIPE};
    p.signals.ignore = {SIGHUP, SIGQUIT};
    p.rlimits = {{RLIMIT_CORE, 0, RLIM_INFINITY}, {RLIMIT_NOFILE, 64, 128}};
    p.timeoutMs = 1500;
    p.strategy = Strategy::Fork;
    if (!variant) {
        p.fds = {pipeIn(0, "in'put\n"),
                 fdAction(1, FdActionKind::PipeOut),
                 fdAction(2, FdActionKind::PipeOut),
                 dupFrom(3, 1),
                 openAt(4, "out.txt", O_WRONLY | O_CREAT | O_APPEND),
                 fdAction(5, FdActionKind::Null),
                 fdAction(6, FdActionKind::Close)};
        p.passFds = {7};
        p.setsid = true;
        p.pgid = 0;
        p.credentials = Credentials{1000, 1000, std::vector<gid_t>{1000, 27}};
        return p;
    }
    p.argv.push_back("\xff\xfe not UTF-8");
    p.fds = {fdAction(0, FdActionKind::PipeOut),
             pipeIn(1, "x"),
             fdAction(2, FdActionKind::Close),
             dupFrom(3, kInheritedFd),
             dupFrom(kInheritedFd, 3),
             fdAction(5, FdActionKind::PipeOut),
             pipeIn(6, std::string("\xc3\xa9\x01", 3)),
             openAt(8, "/tmp/f", O_RDWR | O_NONBLOCK)};
    p.closeFds = false;
    p.env.inherit = false;
    p.pgid = 4242;
    p.credentials = Credentials{std::nullopt, 100, std::vector<gid_t>{}};
    return p;
}

} // namespace

class TestCodeExport : public QObject
{
    Q_OBJECT

    ProbeFixture fixture;
    // The test's own stdio during every run, so that the core's child and an
    // export's child start from the same fds 0-2 (and what an export prints
    // can be read back).
    int stdio[3] = {-1, -1, -1};
    QMap<CodeLanguage, QString> tools; // interpreter or compiler, empty when missing

    QString stdioPath(int fd) const { return fixture.path(QStringLiteral("stdio%1").arg(fd)); }

    void resetStdio()
    {
        for (int fd = 1; fd < 3; ++fd)
            QCOMPARE(ftruncate(stdio[fd], 0), 0);
        QCOMPARE(lseek(stdio[0], 0, SEEK_SET), off_t(0));
    }

    ProbeRun runCore(const SpawnPlan &plan)
    {
        resetStdio();
        StdioSwap swap(stdio[0], stdio[1], stdio[2]);
        return fixture.run(plan);
    }

    // Runs the export (`argv`) through the core too, passing it the parent
    // fds the plan reads and, for close_fds: false, everything else.
    ProbeRun runExport(const QStringList &argv, const SpawnPlan &plan)
    {
        SpawnPlan runner;
        for (const QString &arg : argv)
            runner.argv.push_back(arg.toStdString());
        runner.closeFds = plan.closeFds;
        for (const FdAction &a : plan.fds)
            if (a.action == FdActionKind::Dup && a.from >= 3) runner.passFds.push_back(a.from);
        runner.passFds.insert(runner.passFds.end(), plan.passFds.begin(), plan.passFds.end());
        runner.timeoutMs = 60000;
        resetStdio();
        StdioSwap swap(stdio[0], stdio[1], stdio[2]);
        return fixture.run(runner);
    }

    bool runTool(const QString &tool, const QStringList &args, QString *output = nullptr)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(tool, args);
        const bool ok = process.waitForFinished(300000) &&
                        process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
        const QString text = QString::fromUtf8(process.readAll());
        if (output) *output = text;
        if (!ok) qWarning().noquote() << tool << args.join(' ') << "failed:\n" << text;
        return ok;
    }

    // The command that runs `code`, built first where the language needs it.
    QStringList exportCommand(CodeLanguage lang, const QString &code)
    {
        const QString source = fixture.path(QStringLiteral("spawn.") + codeFileExtension(lang));
        const QString binary = fixture.path(QStringLiteral("spawn-bin"));
        QFile::remove(binary);
        if (!writeFile(source, code)) return {};
        const QString tool = tools.value(lang);
        switch (lang) {
        case CodeLanguage::Python:
        case CodeLanguage::Shell:
            return {tool, source};
        case CodeLanguage::C:
            if (!runTool(tool, {"-Wall", "-Wextra", "-Werror", "-o", binary, source})) return {};
            break;
        case CodeLanguage::Rust:
            if (!runTool(tool, {"--edition", "2021", "-C", "debuginfo=0", "-o", binary, source}))
                return {};
            break;
        case CodeLanguage::Go:
            if (!runTool(tool, {"build", "-o", binary, source})) return {};
            break;
        }
        return {binary};
    }

    // A syntax and type check without running: what each compiler offers.
    bool compiles(CodeLanguage lang, const QString &code)
    {
        const QString source = fixture.path(QStringLiteral("check.") + codeFileExtension(lang));
        if (!writeFile(source, code)) return false;
        const QString tool = tools.value(lang);
        switch (lang) {
        case CodeLanguage::Python:
            return runTool(tool,
                           {"-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", source});
        case CodeLanguage::Shell:
            return runTool(tool, {"-n", source});
        case CodeLanguage::C:
            return runTool(tool, {"-fsyntax-only", "-Wall", "-Wextra", "-Werror", source});
        case CodeLanguage::Rust:
            return runTool(tool, {"--edition", "2021", "--emit=metadata", "-o",
                                  fixture.path("check.rmeta"), source});
        case CodeLanguage::Go:
            return runTool(tool, {"vet", source});
        }
        return false;
    }

    struct PlanRow {
        const char *name;
        PlanEdit edit;
        QList<CodeLanguage> cannot = {}; // languages whose export cannot express the plan
        bool needsRoot = false;
    };

    QList<PlanRow> planRows() const
    {
        const QString opened = fixture.path("opened.txt");
        const QString oddDir = fixture.path("a dir with 'quotes' and $x");
        const QList<CodeLanguage> noIds{CodeLanguage::C};
        const QList<CodeLanguage> noLimits{CodeLanguage::C, CodeLanguage::Go};
        return {
            {"default close_fds", [](SpawnPlan &) {}, {}},
            {"dup parent fd to 5", [](SpawnPlan &p) { p.fds = {dupFrom(5, kInheritedFd)}; }, {}},
            {"open O_WRONLY|O_CREAT on 4",
             [=](SpawnPlan &p) { p.fds = {openAt(4, opened.toStdString(), O_WRONLY | O_CREAT)}; }},
            {"null on stdin", [](SpawnPlan &p) { p.fds = {fdAction(0, FdActionKind::Null)}; }},
            {"cwd env umask",
             [this](SpawnPlan &p) {
                 p.cwd = fixture.path("").toStdString();
                 p.env.set = {{"SPAWNLAB_SPACE", "a b"}};
                 p.env.unset = {"HOME"};
                 p.umask = 027;
             }},
            {"quoting, cwd and a relative open",
             [oddDir](SpawnPlan &p) {
                 p.argv.insert(p.argv.end(), {"it's \"quoted\"", "a\nb\tc", "$HOME `x` \\ ?\?= %s",
                                              "", "-n", "é ü €"});
                 p.env.set = {{"SPAWNLAB_QUOTED", "it's \"quoted\" $HOME `x` \\ end\n"}};
                 p.cwd = oddDir.toStdString();
                 p.fds = {openAt(3, "relative 'name'.txt", O_WRONLY | O_CREAT | O_TRUNC)};
             }},
            {"clean environment",
             [](SpawnPlan &p) {
                 p.env.inherit = false;
                 p.env.set = {{"LANG", "C"}, {"PATH", "/usr/bin:/bin"}};
             }},
            {"stdout and stderr swapped, stdin closed",
             [](SpawnPlan &p) {
                 p.fds = {dupFrom(1, 2), dupFrom(2, 1), fdAction(0, FdActionKind::Close)};
             },
             {CodeLanguage::Go}},
            {"pipe_in stdin to pipe_out stdout",
             [](SpawnPlan &p) {
                 p.argv.push_back("--echo");
                 p.fds = {pipeIn(0, "hello\nworld's"), fdAction(1, FdActionKind::PipeOut)};
             }},
            {"fds 3-6: dup cycle, open, pipe, null",
             [=](SpawnPlan &p) {
                 // fd 20 is replaced before fd 3 reads it: only a copy taken first works.
                 p.fds = {dupFrom(kInheritedFd, 0), dupFrom(3, kInheritedFd),
                          openAt(4, opened.toStdString(), O_RDONLY),
                          fdAction(6, FdActionKind::PipeOut), fdAction(5, FdActionKind::Null)};
             }},
            {"a target at RLIMIT_NOFILE - 1",
             [](SpawnPlan &p) {
                 // No number is free above it: fd 20, replaced before fd `last`
                 // reads it, and the new pipe must be put below.
                 rlimit limit{};
                 getrlimit(RLIMIT_NOFILE, &limit);
                 const int last = int(limit.rlim_cur) - 1;
                 p.fds = {dupFrom(kInheritedFd, 1), dupFrom(last, kInheritedFd),
                          fdAction(6, FdActionKind::PipeOut)};
             },
             // Go's child needs a free number above the highest target (its export says so).
             {CodeLanguage::Go}},
            {"pipe_out at fd 0 and a dup onto fd 4",
             [](SpawnPlan &p) {
                 // The script's own pipe for fd 0 may get fd 4 before fd 4 is placed.
                 p.fds = {fdAction(0, FdActionKind::PipeOut), dupFrom(4, kInheritedFd)};
             }},
            {"pipes at fds 0, 1, 5 and 6",
             [](SpawnPlan &p) {
                 p.fds = {fdAction(0, FdActionKind::PipeOut), pipeIn(1, "to fd 1"),
                          fdAction(5, FdActionKind::PipeOut), pipeIn(6, "to fd 6")};
             }},
            {"close_fds off", [](SpawnPlan &p) { p.closeFds = false; }, {CodeLanguage::Go}},
            {"pass_fds", [](SpawnPlan &p) { p.passFds = {kInheritedFd}; }},
            {"signal mask and dispositions",
             [](SpawnPlan &p) {
                 p.signals.block = std::vector<int>{SIGUSR1, SIGTERM};
                 p.signals.ignore = {SIGHUP};
                 p.signals.setDefault = {SIGPIPE};
             },
             {CodeLanguage::Go}},
            {"setsid", [](SpawnPlan &p) { p.setsid = true; }},
            {"a process group of its own", [](SpawnPlan &p) { p.pgid = 0; }, {CodeLanguage::Shell}},
            {"rlimits",
             [](SpawnPlan &p) {
                 p.rlimits = {{RLIMIT_NOFILE, 64, 128}, {RLIMIT_CORE, 0, 0}};
             },
             noLimits},
            {"credentials: nobody, no groups",
             [](SpawnPlan &p) {
                 p.credentials = Credentials{65534, 65534, std::vector<gid_t>{}};
             },
             noIds, true},
            {"credentials: gid and groups only",
             [](SpawnPlan &p) {
                 p.credentials = Credentials{std::nullopt, 100, std::vector<gid_t>{100, 65534}};
             },
             noIds, true},
        };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(fixture.isValid());
        QVERIFY(writeFile(stdioPath(0), QStringLiteral("the parent's stdin\n")));
        const int flags[3] = {O_RDONLY, O_WRONLY | O_APPEND, O_WRONLY | O_APPEND};
        for (int fd = 0; fd < 3; ++fd) {
            stdio[fd] = open(qPrintable(stdioPath(fd)), flags[fd] | O_CREAT | O_CLOEXEC, 0644);
            QVERIFY(stdio[fd] >= 0);
        }
        // Inheritable on purpose: plans dup it, and close_fds must close it.
        int source = open(qPrintable(fixture.path("source.txt")), O_RDWR | O_CREAT, 0644);
        QVERIFY(source >= 0);
        QCOMPARE(dup2(source, kInheritedFd), kInheritedFd);
        close(source);
        QVERIFY(QDir().mkpath(fixture.path("a dir with 'quotes' and $x")));
        const QMap<CodeLanguage, QString> names{{CodeLanguage::Python, "python3"},
                                                {CodeLanguage::Shell, "bash"},
                                                {CodeLanguage::C, "cc"},
                                                {CodeLanguage::Rust, "rustc"},
                                                {CodeLanguage::Go, "go"}};
        for (auto [lang, name] : names.asKeyValueRange())
            tools.insert(lang, QStandardPaths::findExecutable(name));
    }

    void cleanupTestCase()
    {
        for (int fd : stdio)
            close(fd);
        close(kInheritedFd);
    }

    void languages()
    {
        QSet<QString> names, extensions;
        for (CodeLanguage lang : codeLanguages()) {
            names.insert(codeLanguageName(lang));
            extensions.insert(codeFileExtension(lang));
            QVERIFY(!exportPlan(fixture.plan(Strategy::Auto), lang).isEmpty());
        }
        QCOMPARE(names.size(), 5);
        QCOMPARE(extensions, (QSet<QString>{"py", "go", "c", "rs", "sh"}));
    }

    void sameChildAsCore_data()
    {
        QTest::addColumn<PlanEdit>("edit");
        QTest::addColumn<int>("language");
        QTest::addColumn<bool>("needsRoot");
        for (CodeLanguage lang : codeLanguages())
            for (const PlanRow &row : planRows())
                if (!row.cannot.contains(lang))
                    QTest::addRow("%s: %s", qPrintable(codeFileExtension(lang)), row.name)
                        << row.edit << int(lang) << row.needsRoot;
    }

    // The export's child has the core's child's fds (numbers, targets, flags),
    // argv, cwd, umask, environment, signal mask and dispositions, ids,
    // session, group and limits, and the export prints what it captured.
    void sameChildAsCore()
    {
        QFETCH(PlanEdit, edit);
        QFETCH(int, language);
        QFETCH(bool, needsRoot);
        const auto lang = CodeLanguage(language);
        if (tools.value(lang).isEmpty()) QSKIP("the interpreter or compiler is not installed");
        if (needsRoot && geteuid() != 0) QSKIP("changing credentials needs root");
        SpawnPlan plan = fixture.plan(Strategy::Auto);
        plan.timeoutMs = 0;
        edit(plan);
        const QString code = exportPlan(plan, lang);
        const ProbeRun core = runCore(plan);
        QVERIFY2(core.result.execOk() && !core.report.isEmpty(), "the core's run failed");
        const QString coreOutput = readAll(stdioPath(1));

        const QStringList command = exportCommand(lang, code);
        QVERIFY2(!command.isEmpty(), qPrintable(code));
        const ProbeRun exported = runExport(command, plan);
        const QString diagnostics = code + "\n--- stderr:\n" + readAll(stdioPath(2));
        QVERIFY2(exported.result.execOk() && !exported.report.isEmpty(), qPrintable(diagnostics));
        QVERIFY2(exported.result.exit && exported.result.exit->exited &&
                     exported.result.exit->code == 0,
                 qPrintable(diagnostics));

        const auto fds = normalisedFds(exported), coreFds = normalisedFds(core);
        QVERIFY2(fds == coreFds, qPrintable(diagnostics + "\n--- fds:\n" + describe(fds) +
                                            "--- the core's:\n" + describe(coreFds)));
        QCOMPARE(exported.report.value("argv"), core.report.value("argv"));
        QCOMPARE(exported.report.value("cwd"), core.report.value("cwd"));
        QCOMPARE(exported.report.value("limits"), core.report.value("limits"));
        for (const char *field : {"Umask", "Uid", "Gid", "Groups", "SigBlk"})
            QCOMPARE(exported.status(field), core.status(field));
        QCOMPARE(leadsSession(exported), leadsSession(core));
        QCOMPARE(leadsGroup(exported), leadsGroup(core));
        for (int sig : plan.signals.ignore)
            QVERIFY(hasSignal(exported.statusMask("SigIgn"), sig));
        for (int sig : plan.signals.setDefault)
            QVERIFY(!hasSignal(exported.statusMask("SigIgn"), sig));

        const QStringList coreEnv = environment(core), exportEnv = environment(exported);
        if (!plan.env.inherit) QCOMPARE(exportEnv, coreEnv);
        for (const auto &[name, value] : plan.env.set)
            QVERIFY(exportEnv.contains(QString::fromStdString(name + "=" + value)));
        for (const auto &name : plan.env.unset)
            QVERIFY(exportEnv.filter(QRegularExpression("^" + QString::fromStdString(name) + "="))
                        .isEmpty());

        // What the child wrote into a pipe_out on fd 1, printed by the export
        // ($(...) in bash drops trailing newlines and printf adds one).
        if (core.result.captured.empty()) {
            QCOMPARE(readAll(stdioPath(1)), coreOutput);
        } else if (core.result.captured.count(1)) {
            const QString captured = QString::fromStdString(core.result.captured.at(1));
            QVERIFY(!captured.isEmpty());
            QString printed = readAll(stdioPath(1));
            if (lang == CodeLanguage::Shell) printed.chop(1);
            QCOMPARE(printed, captured);
        }
    }

    void cannotExpressIsSaid_data()
    {
        QTest::addColumn<int>("language");
        QTest::addColumn<PlanEdit>("edit");
        QTest::addColumn<QString>("sentence");
        const PlanEdit mask = [](SpawnPlan &p) { p.signals.block = std::vector<int>{SIGINT}; };
        const PlanEdit umask = [](SpawnPlan &p) { p.umask = 077; };
        const PlanEdit limits = [](SpawnPlan &p) { p.rlimits = {{RLIMIT_NOFILE, 64, 64}}; };
        const PlanEdit ids = [](SpawnPlan &p) { p.credentials = Credentials{1000, 1000, {}}; };
        const PlanEdit groups = [](SpawnPlan &p) {
            p.credentials = Credentials{1000, 1000, std::vector<gid_t>{27}};
        };
        const PlanEdit ignore = [](SpawnPlan &p) { p.signals.ignore = {SIGHUP}; };
        const PlanEdit closeStdin = [](SpawnPlan &p) {
            p.fds = {fdAction(0, FdActionKind::Close)};
        };
        auto row = [](const char *name, CodeLanguage lang, const PlanEdit &edit, const char *text) {
            QTest::newRow(name) << int(lang) << edit << QString::fromUtf8(text);
        };
        row("py: signal mask", CodeLanguage::Python, mask, "Popen cannot express signals.block");
        row("sh: signal mask", CodeLanguage::Shell, mask, "bash cannot express signals.block");
        row("c: umask", CodeLanguage::C, umask, "posix_spawn cannot express umask");
        row("go: umask", CodeLanguage::Go, umask, "os/exec cannot express umask");
        row("rs: umask", CodeLanguage::Rust, umask, "Command cannot express umask");
        row("py: rlimits", CodeLanguage::Python, limits, "Popen cannot express rlimits");
        row("c: rlimits", CodeLanguage::C, limits, "posix_spawn cannot express rlimits");
        row("go: rlimits", CodeLanguage::Go, limits, "os/exec cannot express rlimits");
        row("c: credentials", CodeLanguage::C, ids, "posix_spawn cannot express credentials");
        row("c: signals.ignore", CodeLanguage::C, ignore,
            "posix_spawn cannot express signals.ignore");
        row("go: signals", CodeLanguage::Go, ignore, "os/exec cannot express signals.block");
        row("py: close stdin", CodeLanguage::Python, closeStdin,
            "Popen cannot express closing fd 0");
        row("go: close stdin", CodeLanguage::Go, closeStdin, "os/exec cannot express closing fd 0");
        row(
            "sh: pgid", CodeLanguage::Shell, [](SpawnPlan &p) { p.pgid = 0; },
            "a shell cannot express pgid 0");
        row(
            "sh: close_fds", CodeLanguage::Shell, [](SpawnPlan &) {},
            "bash passes on every fd it inherited without CLOEXEC and cannot list them");
        row("rs: groups", CodeLanguage::Rust, groups, "CommandExt::groups is nightly-only");
        row("rs: pre_exec", CodeLanguage::Rust, umask, "pre_exec is unsafe");
        row(
            "rs: close_fds", CodeLanguage::Rust, [](SpawnPlan &) {},
            "std::process cannot express close_fds");
        row(
            "sh: open flags", CodeLanguage::Shell,
            [](SpawnPlan &p) { p.fds = {openAt(4, "f", O_WRONLY | O_CREAT)}; },
            "a shell cannot express open flags O_WRONLY|O_CREAT: `>` opens with "
            "O_WRONLY|O_CREAT|O_TRUNC");
    }

    // The sentence is in a comment of the export, not guessed into code.
    void cannotExpressIsSaid()
    {
        QFETCH(int, language);
        QFETCH(PlanEdit, edit);
        QFETCH(QString, sentence);
        SpawnPlan plan = fixture.plan(Strategy::Auto);
        edit(plan);
        const QString code = exportPlan(plan, CodeLanguage(language));
        QVERIFY2(commentText(code).contains(sentence), qPrintable(code));
    }

    // A plain plan that every library can express gets no such comment.
    void plainPlanHasNothingToSay()
    {
        SpawnPlan plan = fixture.plan(Strategy::Auto);
        plan.timeoutMs = 0;
        plan.fds = {dupFrom(5, kInheritedFd), fdAction(1, FdActionKind::PipeOut)};
        for (CodeLanguage lang : {CodeLanguage::Python, CodeLanguage::C, CodeLanguage::Go}) {
            const QString code = exportPlan(plan, lang);
            QVERIFY2(!commentText(code).contains("cannot express"), qPrintable(code));
        }
    }

    void compiles_data()
    {
        QTest::addColumn<int>("language");
        QTest::addColumn<bool>("variant");
        for (CodeLanguage lang : codeLanguages())
            for (bool variant : {false, true})
                QTest::addRow("%s: every option%s", qPrintable(codeFileExtension(lang)),
                              variant ? ", odd fds" : "")
                    << int(lang) << variant;
    }

    // Every option at once still gives a program its compiler accepts.
    void compiles()
    {
        QFETCH(int, language);
        QFETCH(bool, variant);
        const auto lang = CodeLanguage(language);
        if (tools.value(lang).isEmpty()) QSKIP("the interpreter or compiler is not installed");
        const QString code = exportPlan(kitchenSink(variant), lang);
        QVERIFY2(compiles(lang, code), qPrintable(code));
    }

    // Without a Go toolchain: the export's shape. Every import is used, and
    // ExtraFiles puts each file at 3 + its index.
    void goStructure()
    {
        SpawnPlan plan = fixture.plan(Strategy::Auto);
        plan.fds = {dupFrom(5, kInheritedFd), fdAction(3, FdActionKind::Close)};
        plan.setsid = true;
        plan.pgid = 7;
        plan.credentials = Credentials{1000, std::nullopt, std::nullopt};
        const QString code = exportPlan(plan, CodeLanguage::Go);
        QVERIFY2(code.contains("cmd.ExtraFiles = []*os.File{nil, nil, os.NewFile(20, \"fd 20\")}"),
                 qPrintable(code));
        QVERIFY2(code.contains("syscall.CloseOnExec(20)"), qPrintable(code));
        QVERIFY2(
            code.contains("\t\tSetsid:     true,\n\t\tSetpgid:    true,\n\t\tPgid:       7,\n"),
            qPrintable(code));
        QVERIFY2(code.contains("Credential: &syscall.Credential{Uid: 1000, Gid: "
                               "uint32(os.Getgid()), NoSetGroups: true},"),
                 qPrintable(code));
        for (const SpawnPlan &p : {plan, kitchenSink(false), kitchenSink(true)}) {
            const QString go = exportPlan(p, CodeLanguage::Go);
            QCOMPARE(go.count('{'), go.count('}'));
            QCOMPARE(go.count('('), go.count(')'));
            const auto imports = QRegularExpression("\\n\\t\"([a-z/]+)\"").globalMatch(go);
            for (const auto &match : imports) {
                const QString package = match.captured(1).section('/', -1);
                QVERIFY2(go.contains(package + "."), qPrintable(package + " unused in\n" + go));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCodeExport)
#include "tst_codeexport.moc"
