// SPDX-License-Identifier: GPL-3.0-or-later
// Plan files: every key loads into the right SpawnPlan field, every wrong value
// is an error naming its key path, and save -> load gives the same plan.
#include "fd_actions.h"
#include "plan/planfile.h"
#include "plancompare.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <functional>

using namespace spawnlab;
using namespace spawnlab::test;
using PlanEdit = std::function<void(SpawnPlan &)>;
Q_DECLARE_METATYPE(PlanEdit)

namespace {

// A plan document: the version, argv ["true"] and `members`.
QByteArray doc(const QByteArray &members = {})
{
    return R"({"spawnlab_plan": 1, "argv": ["true"])" + (members.isEmpty() ? "" : ", " + members) +
           "}";
}

SpawnPlan defaultPlan()
{
    SpawnPlan p;
    p.argv = {"true"};
    return p;
}

QString issuesText(const QList<PlanIssue> &issues)
{
    QStringList lines;
    for (const auto &i : issues)
        lines << i.field + QStringLiteral(": ") + i.message;
    return lines.join(QLatin1Char('\n'));
}

// A plan that sets every field away from its default.
SpawnPlan fullPlan()
{
    SpawnPlan p;
    p.argv = {"sh", "-c", "echo \"$X\" >&3", "arg with \"quotes\" and \\ and ünïcode"};
    p.executable = "/bin/sh";
    p.env.inherit = false;
    p.env.set = {{"PATH", "/usr/bin:/bin"}, {"X", "a=b"}}; // sorted: objects have no order
    p.env.unset = {"HOME", "LANG"};
    p.cwd = "/tmp";
    p.umask = 027;
    p.fds = {pipeIn(0, "line 1\nline 2\n"),
             fdAction(1, FdActionKind::PipeOut),
             dupFrom(2, 1),
             openAt(3, "/tmp/out.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600),
             openAt(4, "/etc/hostname", O_RDONLY),
             fdAction(5, FdActionKind::Null),
             fdAction(6, FdActionKind::Close)};
    p.closeFds = false;
    p.passFds = {7, 9};
    p.closeMethod = CloseMethod::Proc;
    p.signals.block = std::vector<int>{SIGINT, SIGRTMIN + 3};
    p.signals.setDefault = {SIGPIPE};
    p.signals.ignore = {SIGHUP, SIGUSR1};
    p.signals.resetHandlers = false;
    p.setsid = true;
    p.pgid = 0;
    p.credentials = Credentials{1000, 1000, std::vector<gid_t>{1000, 27}};
    p.rlimits = {{RLIMIT_CORE, 0, RLIM_INFINITY}, {RLIMIT_NOFILE, 64, 4096}}; // sorted by name
    p.strategy = Strategy::CloneVm;
    p.inspect = {InspectPoint::BeforeCloseFds, InspectPoint::AfterCloseFds,
                 InspectPoint::AfterExec};
    p.timeoutMs = 2500;
    p.captureLimitBytes = 1000001; // not whole KiB: kept exactly
    return p;
}

} // namespace

class TestPlanFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsKey_data();
    void loadsKey();
    void rejects_data();
    void rejects();
    void warns_data();
    void warns();
    void roundTripsEveryField();
    void savesOnlyWhatDiffers();
    void truncatedDocumentsFailCleanly();
    void loadsFromFile();
    void reportsMissingFile();
    void examplePlansLoadCleanly_data();
    void examplePlansLoadCleanly();
};

void TestPlanFile::loadsKey_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<PlanEdit>("expect");

    auto row = [](const char *name, const QByteArray &json, PlanEdit edit) {
        QTest::newRow(name) << json << edit;
    };
    row("argv only", doc(), [](SpawnPlan &) {});
    row("argv", R"({"spawnlab_plan": 1, "argv": ["ls", "-l", ""]})", [](SpawnPlan &p) {
        p.argv = {"ls", "-l", ""};
    });
    row("executable", doc(R"("executable": "/bin/ls")"),
        [](SpawnPlan &p) { p.executable = "/bin/ls"; });
    row("env.inherit", doc(R"("env": {"inherit": false})"),
        [](SpawnPlan &p) { p.env.inherit = false; });
    row("env.set", doc(R"("env": {"set": {"B": "2", "A": "x=y", "E": ""}})"), [](SpawnPlan &p) {
        p.env.set = {{"A", "x=y"}, {"B", "2"}, {"E", ""}};
    });
    row("env.unset", doc(R"("env": {"unset": ["HOME", "LANG"]})"), [](SpawnPlan &p) {
        p.env.unset = {"HOME", "LANG"};
    });
    row("cwd", doc(R"("cwd": "/tmp")"), [](SpawnPlan &p) { p.cwd = "/tmp"; });
    row("umask", doc(R"("umask": "0077")"), [](SpawnPlan &p) { p.umask = 077; });
    row("umask 0", doc(R"("umask": "0")"), [](SpawnPlan &p) { p.umask = 0; });
    row("fds dup", doc(R"("fds": [{"fd": 2, "action": "dup", "from": 1}])"),
        [](SpawnPlan &p) { p.fds = {dupFrom(2, 1)}; });
    row("fds open", doc(R"("fds": [{"fd": 3, "action": "open", "path": "/tmp/x",
                                    "flags": ["O_WRONLY", "O_CREAT", "O_APPEND"], "mode": "0600"}])"),
        [](SpawnPlan &p) { p.fds = {openAt(3, "/tmp/x", O_WRONLY | O_CREAT | O_APPEND, 0600)}; });
    row("fds open defaults",
        doc(R"("fds": [{"fd": 0, "action": "open", "path": "/etc/hostname"}])"),
        [](SpawnPlan &p) { p.fds = {openAt(0, "/etc/hostname", O_RDONLY)}; });
    row("fds close null pipe_out",
        doc(R"("fds": [{"fd": 0, "action": "close"}, {"fd": 1, "action": "null"},
                       {"fd": 2, "action": "pipe_out"}])"),
        [](SpawnPlan &p) {
            p.fds = {fdAction(0, FdActionKind::Close), fdAction(1, FdActionKind::Null),
                     fdAction(2, FdActionKind::PipeOut)};
        });
    row("fds pipe_in", doc(R"("fds": [{"fd": 0, "action": "pipe_in", "input": "a\u0000b\n"}])"),
        [](SpawnPlan &p) { p.fds = {pipeIn(0, std::string("a\0b\n", 4))}; });
    row("close_fds", doc(R"("close_fds": false)"), [](SpawnPlan &p) { p.closeFds = false; });
    row("pass_fds", doc(R"("pass_fds": [3, 5])"), [](SpawnPlan &p) { p.passFds = {3, 5}; });
    for (auto [name, method] : {std::pair{"close_range", CloseMethod::CloseRange},
                                {"proc", CloseMethod::Proc},
                                {"brute", CloseMethod::Brute},
                                {"auto", CloseMethod::Auto}}) {
        row(qPrintable(QStringLiteral("close_method %1").arg(name)),
            doc(QByteArray(R"("close_method": ")") + name + '"'),
            [m = method](SpawnPlan &p) { p.closeMethod = m; });
    }
    row("signals.block",
        doc(R"("signals": {"block": ["SIGINT", "TERM", "SIGRTMIN+3", "SIGRTMAX-1", "RTMAX"]})"),
        [](SpawnPlan &p) {
            p.signals.block =
                std::vector<int>{SIGINT, SIGTERM, SIGRTMIN + 3, SIGRTMAX - 1, SIGRTMAX};
        });
    row("signals.block empty", doc(R"("signals": {"block": []})"),
        [](SpawnPlan &p) { p.signals.block = std::vector<int>{}; });
    row("signals.default", doc(R"("signals": {"default": ["SIGPIPE"]})"),
        [](SpawnPlan &p) { p.signals.setDefault = {SIGPIPE}; });
    row("signals.ignore", doc(R"("signals": {"ignore": ["SIGHUP", "SIGUSR2"]})"), [](SpawnPlan &p) {
        p.signals.ignore = {SIGHUP, SIGUSR2};
    });
    row("signals.reset_handlers", doc(R"("signals": {"reset_handlers": false})"),
        [](SpawnPlan &p) { p.signals.resetHandlers = false; });
    row("setsid", doc(R"("setsid": true)"), [](SpawnPlan &p) { p.setsid = true; });
    row("pgid 0", doc(R"("pgid": 0)"), [](SpawnPlan &p) { p.pgid = 0; });
    row("pgid", doc(R"("pgid": 4321)"), [](SpawnPlan &p) { p.pgid = 4321; });
    row("credentials empty", doc(R"("credentials": {})"),
        [](SpawnPlan &p) { p.credentials = Credentials{}; });
    row("credentials", doc(R"("credentials": {"uid": 65534, "gid": 4294967294, "groups": [1, 2]})"),
        [](SpawnPlan &p) {
            p.credentials = Credentials{65534, 4294967294u, std::vector<gid_t>{1, 2}};
        });
    row("credentials.groups empty", doc(R"("credentials": {"groups": []})"), [](SpawnPlan &p) {
        p.credentials = Credentials{{}, {}, std::vector<gid_t>{}};
    });
    row("rlimits", doc(R"("rlimits": {"nofile": [64, 128], "core": ["unlimited", "unlimited"]})"),
        [](SpawnPlan &p) {
            p.rlimits = {{RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY}, {RLIMIT_NOFILE, 64, 128}};
        });
    row("rlimits beyond 2^53", doc(R"("rlimits": {"as": [9007199254740993, 9223372036854775807]})"),
        [](SpawnPlan &p) {
            p.rlimits = {{RLIMIT_AS, 9007199254740993u, 9223372036854775807u}};
        });
    for (auto [name, strategy] : {std::pair{"auto", Strategy::Auto},
                                  {"fork", Strategy::Fork},
                                  {"vfork", Strategy::Vfork},
                                  {"clone_vm", Strategy::CloneVm},
                                  {"posix_spawn", Strategy::PosixSpawn}}) {
        row(qPrintable(QStringLiteral("strategy %1").arg(name)),
            doc(QByteArray(R"("strategy": ")") + name + '"'),
            [s = strategy](SpawnPlan &p) { p.strategy = s; });
    }
    row("inspect", doc(R"("inspect": ["after_exec", "before_close_fds", "after_close_fds"])"),
        [](SpawnPlan &p) {
            p.inspect = {InspectPoint::AfterExec, InspectPoint::BeforeCloseFds,
                         InspectPoint::AfterCloseFds};
        });
    row("timeout_ms", doc(R"("timeout_ms": 1500)"), [](SpawnPlan &p) { p.timeoutMs = 1500; });
    row("timeout_ms as 1.0e3", doc(R"("timeout_ms": 1.0e3)"),
        [](SpawnPlan &p) { p.timeoutMs = 1000; });
    row("capture_limit_bytes", doc(R"("capture_limit_bytes": 9007199254740991)"),
        [](SpawnPlan &p) { p.captureLimitBytes = kMaxCaptureLimitBytes; });
    row("capture_limit_bytes 0", doc(R"("capture_limit_bytes": 0)"),
        [](SpawnPlan &p) { p.captureLimitBytes = 0; });
}

void TestPlanFile::loadsKey()
{
    QFETCH(QByteArray, json);
    QFETCH(PlanEdit, expect);

    const PlanLoad load = loadPlan(json);
    QVERIFY2(load.errors.isEmpty(), qPrintable(issuesText(load.errors)));
    QVERIFY2(load.warnings.isEmpty(), qPrintable(issuesText(load.warnings)));
    SpawnPlan expected = defaultPlan();
    expect(expected);
    QCOMPARE(test::planDifference(load.plan, expected), QString());

    // Each key also survives save -> load.
    const PlanLoad again = loadPlan(savePlan(load.plan));
    QVERIFY2(again.ok() && again.warnings.isEmpty(),
             qPrintable(issuesText(again.errors + again.warnings) + "\n" + savePlan(load.plan)));
    QCOMPARE(test::planDifference(again.plan, expected), QString());
}

void TestPlanFile::rejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");

    auto row = [](const char *name, const QByteArray &json, const char *field, const char *msg) {
        QTest::newRow(name) << json << QString::fromUtf8(field) << QString::fromUtf8(msg);
    };
    // The document as a whole.
    row("invalid JSON", "{\"spawnlab_plan\": 1,\n \"argv\": [1,}", "",
        "invalid JSON at line 2, column 14 (offset 34): object is missing after a comma");
    row("empty file", "", "", "invalid JSON at line 1, column 1 (offset 0)");
    // Strings Qt's parser would take and change: the child would get other bytes.
    row("unknown escape", R"({"spawnlab_plan": 1, "argv": ["echo", "\x41"]})", "",
        "invalid JSON at line 1, column 40 (offset 39): \\x is not a JSON escape");
    row("lone surrogate", R"({"spawnlab_plan": 1, "argv": ["echo", "a\ud800"]})", "",
        "invalid JSON at line 1, column 41 (offset 40): \\ud800 is half of a UTF-16 surrogate");
    row("raw tab in a string", "{\"spawnlab_plan\": 1, \"argv\": [\"a\tb\"]}", "",
        "invalid JSON at line 1, column 33 (offset 32): a control character (U+0009)");
    // Two equal keys in one object: Qt would keep the last without a word.
    row("key twice", "{\"spawnlab_plan\": 1,\n \"argv\": [\"a\"], \"argv\": [\"b\"]}", "",
        "ambiguous JSON at line 2, column 17 (offset 37): the key \"argv\" is in this object "
        "twice (first at line 2, column 2)");
    row("key twice, nested",
        R"({"spawnlab_plan": 1, "argv": ["a"], "env": {"set": {"A": "1", "A": "2"}}})", "",
        "ambiguous JSON at line 1, column 63 (offset 62): the key \"A\" is in this object twice");
    row("key twice, once escaped", R"({"spawnlab_plan": 1, "argv": ["a"], "\u0061rgv": ["b"]})", "",
        "ambiguous JSON at line 1, column 37 (offset 36): the key \"\\u0061rgv\" is in this "
        "object twice (first at line 1, column 22)");
    // Past 64 bits Qt would hold another number (or the smallest qint64).
    row("number past 64 bits", doc(R"("timeout_ms": -9223372036854775809)"), "",
        "number out of range at line 1, column 54 (offset 53): -9223372036854775809 does not "
        "fit in 64 bits");
    row("top-level list", "[1]", "", "expected a JSON object at the top, got a list");
    row("no version", R"({"argv": ["true"]})", "spawnlab_plan",
        "missing; a plan file starts with \"spawnlab_plan\": 1");
    row("version 2", R"({"spawnlab_plan": 2, "argv": ["true"]})", "spawnlab_plan",
        "unsupported plan format version 2; this spawnlab reads version 1");
    row("version as string", R"({"spawnlab_plan": "1", "argv": ["true"]})", "spawnlab_plan",
        "expected a whole number, got \"1\"");
    // argv and strings.
    row("no argv", R"({"spawnlab_plan": 1})", "argv", "missing; expected a non-empty list");
    row("empty argv", R"({"spawnlab_plan": 1, "argv": []})", "argv",
        "expected a non-empty list of strings, got []");
    row("argv string", R"({"spawnlab_plan": 1, "argv": "ls"})", "argv",
        "expected a list, got \"ls\"");
    row("argv item", R"({"spawnlab_plan": 1, "argv": ["ls", 3]})", "argv[1]",
        "expected a string, got 3");
    row("argv NUL", R"({"spawnlab_plan": 1, "argv": ["a\u0000b"]})", "argv[0]",
        "contains a NUL character");
    row("executable", doc(R"("executable": 5)"), "executable", "expected a string, got 5");
    row("cwd null", doc(R"("cwd": null)"), "cwd", "expected a string, got null");
    // env
    row("env", doc(R"("env": "x")"), "env", "expected an object, got \"x\"");
    row("env.inherit", doc(R"("env": {"inherit": "yes"})"), "env.inherit",
        "expected true or false, got \"yes\"");
    row("env.set", doc(R"("env": {"set": ["A"]})"), "env.set", "expected an object, got a list");
    row("env.set value", doc(R"("env": {"set": {"HOME": 3}})"), "env.set.HOME",
        "expected a string, got 3");
    row("env.set name", doc(R"("env": {"set": {"A=B": "x"}})"), "env.set.A=B",
        "a variable name must be non-empty and hold no '=' or NUL");
    row("env.unset", doc(R"("env": {"unset": ["A", 1]})"), "env.unset[1]",
        "expected a string, got 1");
    // umask
    // A whole number past 2^53 is named as written, not as a double rounds it.
    row("umask big number", doc(R"("umask": 9007199254740993)"), "umask",
        "expected an octal string like \"0077\", got 9007199254740993");
    row("umask number", doc(R"("umask": 77)"), "umask",
        "expected an octal string like \"0077\", got 77");
    row("umask digit", doc(R"("umask": "0080")"), "umask",
        "expected an octal string like \"0077\", got \"0080\"");
    row("umask too big", doc(R"("umask": "01000")"), "umask",
        "expected at most \"0777\", got \"01000\"");
    // fds
    row("fds object", doc(R"("fds": {})"), "fds", "expected a list, got an object");
    row("fds entry", doc(R"("fds": [3])"), "fds[0]", "expected an object, got 3");
    row("fd string", doc(R"("fds": [{"fd": "x", "action": "null"}])"), "fds[0].fd",
        "expected a whole number, got \"x\"");
    row("fd fraction", doc(R"("fds": [{"fd": 1.5, "action": "null"}])"), "fds[0].fd",
        "expected a whole number, got 1.5");
    row("fd huge", doc(R"("fds": [{"fd": 1e30, "action": "null"}])"), "fds[0].fd",
        "expected a whole number from 0 to 2147483647, got 1e+30");
    row("fd negative", doc(R"("fds": [{"fd": -1, "action": "null"}])"), "fds[0].fd",
        "expected a whole number from 0 to 2147483647, got -1");
    row("fd missing", doc(R"("fds": [{"action": "null"}])"), "fds[0].fd",
        "missing; expected the child's fd number");
    row("action missing", doc(R"("fds": [{"fd": 1}])"), "fds[0].action",
        "missing; expected one of dup, open, close, null, pipe_out, pipe_in");
    row("action unknown", doc(R"("fds": [{"fd": 1, "action": "copy"}])"), "fds[0].action",
        "unknown fd action \"copy\"; expected one of dup, open, close, null, pipe_out, pipe_in");
    row("from", doc(R"("fds": [{"fd": 0, "action": "null"}, {"fd": 1, "action": "null"},
                               {"fd": 2, "action": "dup", "from": "x"}])"),
        "fds[2].from", "expected a whole number, got \"x\"");
    row("from missing", doc(R"("fds": [{"fd": 2, "action": "dup"}])"), "fds[0].from",
        "missing; action \"dup\" copies this parent fd");
    row("path missing", doc(R"("fds": [{"fd": 3, "action": "open"}])"), "fds[0].path",
        "missing; action \"open\" opens this path");
    row("flags item", doc(R"("fds": [{"fd": 3, "action": "open", "path": "/x",
                                      "flags": ["O_WRONLY", "O_BOGUS"]}])"),
        "fds[0].flags[1]", "unknown open flag \"O_BOGUS\"");
    row("flags string", doc(R"("fds": [{"fd": 3, "action": "open", "path": "/x",
                                        "flags": "O_RDONLY"}])"),
        "fds[0].flags", "expected a list, got \"O_RDONLY\"");
    row("mode", doc(R"("fds": [{"fd": 3, "action": "open", "path": "/x", "mode": "rw"}])"),
        "fds[0].mode", "expected an octal string like \"0644\", got \"rw\"");
    row("input", doc(R"("fds": [{"fd": 0, "action": "pipe_in", "input": 3}])"), "fds[0].input",
        "expected a string, got 3");
    // the rest of the top level
    row("close_fds", doc(R"("close_fds": "yes")"), "close_fds",
        "expected true or false, got \"yes\"");
    row("pass_fds", doc(R"("pass_fds": [3, "4"])"), "pass_fds[1]",
        "expected a whole number, got \"4\"");
    row("close_method", doc(R"("close_method": "fast")"), "close_method",
        "unknown close method \"fast\"; expected one of auto, close_range, proc, brute");
    row("signals", doc(R"("signals": ["SIGINT"])"), "signals", "expected an object, got a list");
    row("signals.block", doc(R"("signals": {"block": ["SIGINT", "SIGFOO"]})"), "signals.block[1]",
        "unknown signal \"SIGFOO\"; expected a name like SIGTERM, TERM or SIGRTMIN+3");
    row("signals.block sign", doc(R"("signals": {"block": ["SIGRTMIN+-0"]})"), "signals.block[0]",
        "unknown signal \"SIGRTMIN+-0\"");
    row("signals.block past SIGRTMAX", doc(R"("signals": {"block": ["SIGRTMIN+31"]})"),
        "signals.block[0]", "unknown signal \"SIGRTMIN+31\"");
    row("signals.default", doc(R"("signals": {"default": "SIGPIPE"})"), "signals.default",
        "expected a list, got \"SIGPIPE\"");
    row("signals.ignore", doc(R"("signals": {"ignore": [9.5]})"), "signals.ignore[0]",
        "expected a string, got 9.5");
    row("signals.reset_handlers", doc(R"("signals": {"reset_handlers": 1})"),
        "signals.reset_handlers", "expected true or false, got 1");
    row("setsid", doc(R"("setsid": "true")"), "setsid", "expected true or false, got \"true\"");
    row("pgid", doc(R"("pgid": -1)"), "pgid", "expected a whole number from 0 to 2147483647");
    row("credentials", doc(R"("credentials": 0)"), "credentials", "expected an object, got 0");
    row("credentials.uid", doc(R"("credentials": {"uid": 4294967295})"), "credentials.uid",
        "expected a whole number from 0 to 4294967294, got 4294967295");
    row("credentials.gid", doc(R"("credentials": {"gid": "root"})"), "credentials.gid",
        "expected a whole number, got \"root\"");
    row("credentials.groups", doc(R"("credentials": {"groups": [1, "x"]})"),
        "credentials.groups[1]", "expected a whole number, got \"x\"");
    row("rlimits", doc(R"("rlimits": [])"), "rlimits", "expected an object, got a list");
    row("rlimits shape", doc(R"("rlimits": {"nofile": 5})"), "rlimits.nofile",
        "expected [soft, hard], got 5");
    row("rlimits three", doc(R"("rlimits": {"nofile": [1, 2, 3]})"), "rlimits.nofile",
        "expected [soft, hard], got a list");
    row("rlimits soft", doc(R"("rlimits": {"nofile": ["lots", 5]})"), "rlimits.nofile[0]",
        "expected a whole number or \"unlimited\", got \"lots\"");
    row("rlimits hard", doc(R"("rlimits": {"nofile": [5, -5]})"), "rlimits.nofile[1]",
        "expected a whole number from 0 to");
    row("rlimits name", doc(R"("rlimits": {"bogus": [1, 2]})"), "rlimits.bogus",
        "unknown resource \"bogus\"; expected one of as, core, cpu,");
    row("strategy", doc(R"("strategy": "spoon")"), "strategy",
        "unknown strategy \"spoon\"; expected one of auto, fork, vfork, clone_vm, posix_spawn");
    row("inspect item", doc(R"("inspect": ["after_fork"])"), "inspect[0]",
        "unknown inspect point \"after_fork\"; expected one of before_close_fds, "
        "after_close_fds, after_exec");
    row("inspect string", doc(R"("inspect": "after_exec")"), "inspect",
        "expected a list, got \"after_exec\"");
    row("timeout_ms fraction", doc(R"("timeout_ms": 1.5)"), "timeout_ms",
        "expected a whole number, got 1.5");
    row("timeout_ms huge", doc(R"("timeout_ms": 1e30)"), "timeout_ms",
        "expected a whole number from 0 to 2147483647, got 1e+30");
    row("capture_limit_bytes negative", doc(R"("capture_limit_bytes": -1)"), "capture_limit_bytes",
        "expected a whole number from 0 to 9007199254740991, got -1");
}

void TestPlanFile::rejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    QFETCH(QString, message);

    const PlanLoad load = loadPlan(json);
    QVERIFY(!load.ok());
    QVERIFY2(load.errors.size() == 1, qPrintable(issuesText(load.errors)));
    QCOMPARE(load.errors[0].field, field);
    QVERIFY2(load.errors[0].message.startsWith(message), qPrintable(load.errors[0].message));
}

void TestPlanFile::warns_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");

    const QString unknown = QStringLiteral("unknown key, ignored");
    QTest::newRow("top") << doc(R"("foo": 1)") << "foo" << unknown;
    QTest::newRow("description") << doc(R"("description": "x")") << "description" << unknown;
    QTest::newRow("env") << doc(R"("env": {"inherited": true})") << "env.inherited" << unknown;
    QTest::newRow("fds") << doc(R"("fds": [{"fd": 1, "action": "null", "bar": 2}])") << "fds[0].bar"
                         << unknown;
    QTest::newRow("signals") << doc(R"("signals": {"mask": []})") << "signals.mask" << unknown;
    QTest::newRow("credentials") << doc(R"("credentials": {"user": "root"})") << "credentials.user"
                                 << unknown;
    QTest::newRow("key of another action")
        << doc(R"("fds": [{"fd": 1, "action": "dup", "from": 2, "path": "/x"}])") << "fds[0].path"
        << "not used by action \"dup\", ignored";
}

void TestPlanFile::warns()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    QFETCH(QString, message);

    const PlanLoad load = loadPlan(json);
    QVERIFY2(load.ok(), qPrintable(issuesText(load.errors)));
    QVERIFY2(load.warnings.size() == 1, qPrintable(issuesText(load.warnings)));
    QCOMPARE(load.warnings[0].field, field);
    QCOMPARE(load.warnings[0].message, message);
}

void TestPlanFile::roundTripsEveryField()
{
    const SpawnPlan plan = fullPlan();
    const QByteArray saved = savePlan(plan);
    QVERIFY2(saved.startsWith("{\n    \"spawnlab_plan\": 1,\n    \"argv\": ["), saved.constData());

    const PlanLoad load = loadPlan(saved);
    QVERIFY2(load.ok(), qPrintable(issuesText(load.errors) + "\n" + saved));
    QVERIFY2(load.warnings.isEmpty(), qPrintable(issuesText(load.warnings)));
    QCOMPARE(test::planDifference(load.plan, plan), QString());
    QCOMPARE(savePlan(load.plan), saved); // stable: saving twice gives the same bytes
    // Every field differs from the default, so the comparison itself can see each one.
    QCOMPARE(test::planDifference(plan, SpawnPlan{}), QStringLiteral("argv"));
}

void TestPlanFile::savesOnlyWhatDiffers()
{
    SpawnPlan plan;
    plan.argv = {"true"};
    QCOMPARE(savePlan(plan),
             QByteArray("{\n    \"spawnlab_plan\": 1,\n    \"argv\": [\"true\"]\n}\n"));
    plan.argv.clear(); // argv is written even when empty: it is the one required key
    QVERIFY(savePlan(plan).contains("\"argv\": []"));
}

void TestPlanFile::truncatedDocumentsFailCleanly()
{
    // Every prefix of a real plan is an error with a message, never a crash or a plan.
    const QByteArray saved = savePlan(fullPlan());
    const QByteArray end = saved.trimmed();
    for (qsizetype n = 0; n < end.size(); ++n) {
        const PlanLoad load = loadPlan(saved.left(n));
        QVERIFY2(!load.ok(), qPrintable(QString::number(n)));
        QVERIFY(!load.errors[0].message.isEmpty());
    }
}

void TestPlanFile::loadsFromFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("plan.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(savePlan(fullPlan()));
    file.close();
    const PlanLoad load = loadPlanFile(path);
    QVERIFY2(load.ok(), qPrintable(issuesText(load.errors)));
    QCOMPARE(test::planDifference(load.plan, fullPlan()), QString());
}

void TestPlanFile::reportsMissingFile()
{
    const QString missing = QStringLiteral("/nonexistent/dir/plan.json");
    PlanLoad load = loadPlanFile(missing);
    QCOMPARE(load.errors.size(), 1);
    QCOMPARE(load.errors[0].field, QString());
    QVERIFY2(load.errors[0].message.contains(missing), qPrintable(load.errors[0].message));
    QVERIFY(load.errors[0].message.contains(QStringLiteral("No such file")));

    load = loadPlanFile(QDir::tempPath()); // a directory cannot be read as a plan
    QCOMPARE(load.errors.size(), 1);
    QVERIFY2(load.errors[0].message.contains(QDir::tempPath()), qPrintable(load.errors[0].message));
}

void TestPlanFile::examplePlansLoadCleanly_data()
{
    QTest::addColumn<QString>("path");
    const QDir plans(QStringLiteral(SPAWNLAB_SOURCE_DIR "/resources/plans"));
    const QStringList names = plans.entryList({QStringLiteral("*.json")}, QDir::Files);
    for (const char *required :
         {"ls_fds_close_fds_on.json", "ls_fds_close_fds_off.json", "fd_leak.json",
          "failing_chdir.json", "swap_stdout_stderr.json", "setsid.json", "env_and_umask.json"})
        QVERIFY2(names.contains(QLatin1String(required)), required);
    for (const QString &name : names)
        QTest::newRow(qPrintable(name)) << plans.filePath(name);
}

void TestPlanFile::examplePlansLoadCleanly()
{
    QFETCH(QString, path);
    const PlanLoad load = loadPlanFile(path);
    QVERIFY2(load.errors.isEmpty(), qPrintable(issuesText(load.errors)));
    QVERIFY2(load.warnings.isEmpty(), qPrintable(issuesText(load.warnings)));
    QVERIFY(!load.plan.argv.empty());
}

QTEST_GUILESS_MAIN(TestPlanFile)
#include "tst_planfile.moc"
