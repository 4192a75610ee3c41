// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench_command.h"

#include "qs.h"

#include "command_line.h"
#include "output.h"

#include "spawnlab/bench.h"
#include "spawnlab/descendants.h"
#include "spawnlab/names.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using spawnlab::qs;

namespace bench = spawnlab::bench;
using namespace cli;

namespace {

constexpr int exitInterruptedBase = 128; // + the signal, as a shell reports it

const char benchUsage[] =
    "usage: spawnlab-cli bench [OPTIONS]\n"
    "\n"
    "Measures spawn latency in this process, whose RSS a ballast makes each requested size.\n"
    "Points go to stdout; to stderr each finished point (\"[3/12] vfork at 1024 MiB: ...\"),\n"
    "what it is doing (\"bench: ...\"), \"progress: DONE/TOTAL\" (size visits, or close_fds\n"
    "cells) and, at the end, what was skipped and why (\"note: ...\"). It dies with the\n"
    "process that started it (PR_SET_PDEATHSIG), so the GUI's worker never outlives the GUI.\n"
    "Exit 0: done; 1: it failed, or stdout could not be written; 2: a bad option;\n"
    "128 + the signal after SIGINT, SIGTERM or SIGHUP, with the points so far printed;\n"
    "a reader that closes the pipe early (| head) ends it by SIGPIPE, as any filter.\n"
    "\n";

// Ranges: counts that fit the core's int fields with room; sizes up to 1 PiB
// (more than MemAvailable is refused later, with what the machine can hold);
// fd counts and limits up to INT_MAX, as fds are ints.
constexpr long long maxRuns = 1000000;
constexpr long long maxSizeMib = 1LL << 30;
constexpr long long maxFds = INT_MAX;
constexpr long long maxSeconds = 86400;

std::atomic<bool> interrupted{false};
std::atomic<int> interruptSignal{0};

void onInterrupt(int sig)
{
    interruptSignal.store(sig);
    interrupted.store(true);
    // A sample waits for its target: one that never exits would hold the run,
    // and be left behind with whatever it started.
    spawnlab::killDescendants(::getpid());
}

// "10,...,100000": a long default list in a help line.
QString firstToLast(const std::vector<long long> &values)
{
    if (values.size() < 3) return spawnlab::qsNumberList(values);
    return QStringLiteral("%1,...,%2").arg(values.front()).arg(values.back());
}

struct BenchOptions {
    QCommandLineOption series{"series",
                              "what to vary (default rss): rss, memory (its shape),\n"
                              "threads (spawning at once), close_fds, runtimes (Python,\n"
                              "Go and Node spawning, each timed in its own runtime)",
                              "NAME"};
    QCommandLineOption strategies{"strategies",
                                  "of fork, vfork, clone_vm, posix_spawn, raw_fork, raw_vfork\n"
                                  "(rss default: all; close_fds default: clone_vm)",
                                  "LIST"};
    QCommandLineOption sizes{"sizes-mb",
                             QStringLiteral("ballast sizes in MiB (default %1)")
                                 .arg(spawnlab::qsNumberList(bench::RssConfig().sizesMb)),
                             "LIST"};
    QCommandLineOption runs{"runs",
                            QStringLiteral("samples per point (default %1; close_fds %2)")
                                .arg(bench::RssConfig().runs)
                                .arg(bench::CloseFdsConfig().runs),
                            "N"};
    QCommandLineOption warmup{"warmup",
                              QStringLiteral("unmeasured spawns first (default %1; close_fds %2)")
                                  .arg(bench::RssConfig().warmup)
                                  .arg(bench::CloseFdsConfig().warmup),
                              "N"};
    QCommandLineOption passes{
        "passes",
        QStringLiteral("rss, memory: visit the sizes N times, alternately up and down, each\n"
                       "visit taking its share of the runs (default %1)")
            .arg(bench::RssConfig().passes),
        "N"};
    QCommandLineOption target{"target",
                              "the program to exec (default: spawnlab-noop; floor:\n"
                              "spawnlab-noop-floor, no libc, one raw exit_group)",
                              "PATH|floor"};
    QCommandLineOption format{"format", "json: one object at the end; csv, jsonl: as points finish",
                              "json|csv|jsonl"};
    QCommandLineOption thp{"thp", "MADV_HUGEPAGE, MADV_NOHUGEPAGE or the system's setting",
                           "on|off|default"};
    QCommandLineOption closeMethods{"close-methods",
                                    "close_fds: of close_range, proc, brute (default all)", "LIST"};
    QCommandLineOption openFds{"open-fds",
                               QStringLiteral("close_fds: fds open in the spawner (default %1)")
                                   .arg(firstToLast(bench::CloseFdsConfig().openFds)),
                               "LIST"};
    QCommandLineOption nofile{"nofile",
                              QStringLiteral("close_fds: RLIMIT_NOFILE values (default %1)")
                                  .arg(firstToLast(bench::CloseFdsConfig().nofile)),
                              "LIST"};
    QCommandLineOption maxSeconds{
        "max-seconds",
        QStringLiteral("close_fds: stop a point after S seconds (e.g. 2.5; 0: never),\n"
                       "at >= 3 samples (default %1)")
            .arg(bench::CloseFdsConfig().maxSecondsPerCell),
        "S"};
    QCommandLineOption shapes{"shapes",
                              "memory: of touched, reserved (MAP_NORESERVE, never touched),\n"
                              "vmas (many small mappings) (default all)",
                              "LIST"};
    QCommandLineOption vmas{
        "vmas",
        QStringLiteral("memory: how many mappings the vmas shape has (default %1)")
            .arg(bench::RssConfig().vmaCount),
        "N"};
    QCommandLineOption runtimes{"runtimes", "runtimes: of python, go, node (default all)", "LIST"};
    QCommandLineOption threads{"threads",
                               QStringLiteral("threads: spawning threads per point (default %1)")
                                   .arg(spawnlab::qsNumberList(bench::ThreadsConfig().threads)),
                               "LIST"};
    QCommandLineOption seconds{"seconds",
                               QStringLiteral("threads: each window's length (default %1); --runs\n"
                                              "is the number of windows per point (default %2)")
                                   .arg(bench::ThreadsConfig().windowSeconds)
                                   .arg(bench::ThreadsConfig().runs),
                               "S"};
    QCommandLineOption help = helpOption();

    QList<QCommandLineOption> all() const
    {
        return {series, strategies, sizes,        runs,     warmup, passes,     target,
                format, thp,        closeMethods, openFds,  nofile, maxSeconds, shapes,
                vmas,   threads,    seconds,      runtimes, help};
    }
};

// Unset options take the core's defaults (bench::RssConfig and the others),
// so the CLI, the GUI and the core agree on them.
struct Options {
    std::string series = "rss";
    std::optional<std::vector<std::string>> strategies;
    std::vector<std::uint64_t> sizesMb = bench::RssConfig().sizesMb;
    std::optional<int> runs, warmup;
    int passes = bench::RssConfig().passes;
    std::string target;
    std::string format = "json";
    bench::Thp thp = bench::Thp::Default;
    std::vector<std::string> closeMethods = bench::CloseFdsConfig().methods;
    std::optional<std::vector<long long>> openFds, nofile;
    double maxSeconds = bench::CloseFdsConfig().maxSecondsPerCell;
    // memory: every shape (RssConfig's default is rss's one, touched)
    std::vector<bench::MemoryShape> shapes{std::begin(bench::kMemoryShapes),
                                           std::end(bench::kMemoryShapes)};
    int vmas = bench::RssConfig().vmaCount;
    std::vector<int> threads = bench::ThreadsConfig().threads;
    std::vector<std::string> runtimes = bench::RuntimesConfig().runtimes;
    double windowSeconds = bench::ThreadsConfig().windowSeconds;
    bool help = false;
};

// "0.25" as seconds in [0.001, maxSeconds], or 0 where `zeroIsNoLimit`; else
// UsageError naming the option.
double secondsValue(const std::string &option, const QString &text, bool zeroIsNoLimit = false)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (ok && zeroIsNoLimit && value == 0.0) return 0.0;
    if (!ok || !(value >= 0.001) || value > double(maxSeconds))
        throw UsageError{option + ": \"" + text.toStdString() +
                         "\" is not a number of seconds from 0.001 to " +
                         std::to_string(maxSeconds) + (zeroIsNoLimit ? ", or 0 (no limit)" : "")};
    return value;
}

// A list item given twice would be measured twice under one name.
template <class T> std::vector<T> refuseDuplicates(const std::string &option, std::vector<T> items)
{
    for (std::size_t i = 0; i < items.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (items[i] == items[j]) {
                std::ostringstream item;
                item << items[i];
                throw UsageError{option + ": " + item.str() + " is listed twice"};
            }
    return items;
}

std::vector<std::string> nameList(const std::string &option, const QString &text)
{
    return refuseDuplicates(option, splitList(option, text));
}

std::vector<long long> numberList(const std::string &option, const QString &text, long long min,
                                  long long max)
{
    std::vector<long long> values;
    for (const std::string &item : splitList(option, text))
        values.push_back(wholeNumber(option, qs(item), min, max));
    return refuseDuplicates(option, values);
}

// The option as the user spells it, for messages.
std::string optionName(const QCommandLineOption &option)
{
    return "--" + option.names().front().toStdString();
}

// What every series reads: the series, strategies, sizes, runs, the target,
// the format and the ballast's THP.
void readCommonOptions(const QCommandLineParser &parser, const BenchOptions &b, Options &o)
{
    auto value = [&](const QCommandLineOption &option) { return parser.value(option); };
    auto text = [&](const QCommandLineOption &option) { return value(option).toStdString(); };
    if (parser.isSet(b.series))
        o.series = oneOf(optionName(b.series), text(b.series), bench::knownSeries());
    if (parser.isSet(b.strategies)) {
        o.strategies = nameList(optionName(b.strategies), value(b.strategies));
        for (const auto &s : *o.strategies)
            oneOf(optionName(b.strategies), s, bench::knownStrategies());
    }
    if (parser.isSet(b.sizes)) {
        o.sizesMb.clear();
        for (long long mib : numberList(optionName(b.sizes), value(b.sizes), 0, maxSizeMib))
            o.sizesMb.push_back(std::uint64_t(mib));
    }
    if (parser.isSet(b.runs))
        o.runs = int(wholeNumber(optionName(b.runs), value(b.runs), 1, maxRuns));
    if (parser.isSet(b.warmup))
        o.warmup = int(wholeNumber(optionName(b.warmup), value(b.warmup), 0, maxRuns));
    if (parser.isSet(b.passes))
        o.passes = int(wholeNumber(optionName(b.passes), value(b.passes), 1, maxRuns));
    if (parser.isSet(b.target)) {
        o.target = text(b.target);
        if (o.target.empty()) throw UsageError{"--target: empty; give a program's path, or floor"};
    }
    if (parser.isSet(b.format))
        o.format = oneOf(optionName(b.format), text(b.format), {"json", "csv", "jsonl"});
    if (parser.isSet(b.thp)) {
        o.thp = *bench::parseThp(oneOf(optionName(b.thp), text(b.thp), {"on", "off", "default"}));
    }
}

// What one series alone reads (close_fds, memory, threads, runtimes).
void readSeriesOptions(const QCommandLineParser &parser, const BenchOptions &b, Options &o)
{
    auto value = [&](const QCommandLineOption &option) { return parser.value(option); };
    if (parser.isSet(b.closeMethods)) {
        o.closeMethods = nameList(optionName(b.closeMethods), value(b.closeMethods));
        for (const auto &m : o.closeMethods)
            oneOf(optionName(b.closeMethods), m, {"close_range", "proc", "brute"});
    }
    if (parser.isSet(b.openFds))
        o.openFds = numberList(optionName(b.openFds), value(b.openFds), 1, maxFds);
    if (parser.isSet(b.nofile))
        o.nofile = numberList(optionName(b.nofile), value(b.nofile), 16, maxFds);
    if (parser.isSet(b.maxSeconds))
        o.maxSeconds = secondsValue(optionName(b.maxSeconds), value(b.maxSeconds), true);
    if (parser.isSet(b.shapes)) {
        o.shapes.clear();
        for (const std::string &s : nameList(optionName(b.shapes), value(b.shapes)))
            o.shapes.push_back(*bench::parseMemoryShape(
                oneOf(optionName(b.shapes), s, {"touched", "reserved", "vmas"})));
    }
    // vm.max_map_count is 65530 by default; the process needs some of its own.
    if (parser.isSet(b.vmas))
        o.vmas = int(wholeNumber(optionName(b.vmas), value(b.vmas), 1, 60000));
    if (parser.isSet(b.threads)) {
        o.threads.clear();
        for (long long n : numberList(optionName(b.threads), value(b.threads), 1, 1024))
            o.threads.push_back(int(n));
    }
    if (parser.isSet(b.runtimes)) {
        o.runtimes = nameList(optionName(b.runtimes), value(b.runtimes));
        for (const std::string &r : o.runtimes)
            oneOf(optionName(b.runtimes), r, bench::knownRuntimes());
    }
}

// An option only another series reads would be ignored silently: refused.
void refuseUnreadOptions(const QCommandLineParser &parser, const BenchOptions &b, const Options &o)
{
    if (o.series == "runtimes" && o.strategies)
        throw UsageError{"--strategies: the runtimes series measures runtimes (--runtimes)"};
    const std::pair<const QCommandLineOption &, std::vector<std::string>> readBy[] = {
        {b.sizes, {"rss", "memory", "threads", "runtimes"}},
        {b.passes, {"rss", "memory"}},
        {b.thp, {"rss", "memory", "threads"}},
        {b.shapes, {"memory"}},
        {b.vmas, {"memory"}},
        {b.threads, {"threads"}},
        {b.seconds, {"threads"}},
        {b.runtimes, {"runtimes"}},
        {b.closeMethods, {"close_fds"}},
        {b.openFds, {"close_fds"}},
        {b.nofile, {"close_fds"}},
        {b.maxSeconds, {"close_fds"}},
    };
    for (const auto &[option, series] : readBy) {
        if (!parser.isSet(option) ||
            std::find(series.begin(), series.end(), o.series) != series.end())
            continue;
        std::string which;
        for (const std::string &s : series)
            which += (which.empty() ? "" : ", ") + s;
        throw UsageError{optionName(option) + ": the " + o.series + " series does not read it (" +
                         which + " do" + (series.size() == 1 ? "es" : "") + ")"};
    }
}

Options parseOptions(std::span<char *const> args)
{
    const BenchOptions b;
    QCommandLineParser parser;
    parseArguments(parser, b.all(), argumentList(QStringLiteral("spawnlab-cli bench"), args));
    if (!parser.positionalArguments().isEmpty())
        throw UsageError{"unexpected argument \"" +
                         parser.positionalArguments().front().toStdString() + "\""};
    Options o;
    o.help = parser.isSet(b.help);
    readCommonOptions(parser, b, o);
    readSeriesOptions(parser, b, o);
    refuseUnreadOptions(parser, b, o);

    if (parser.isSet(b.seconds))
        o.windowSeconds = secondsValue(optionName(b.seconds), parser.value(b.seconds));
    if (o.series == "threads" && parser.isSet(b.sizes) && o.sizesMb.size() != 1)
        throw UsageError{"--sizes-mb: the threads series holds one ballast size"};
    if (o.series == "threads" && !parser.isSet(b.sizes)) o.sizesMb = {bench::ThreadsConfig().rssMb};
    if (o.series == "close_fds" && o.strategies) {
        if (o.strategies->size() != 1)
            throw UsageError{"--strategies: the close_fds series measures one strategy"};
        oneOf("--strategies", o.strategies->front(), {"fork", "vfork", "clone_vm"});
    }
    if (!o.target.empty()) {
        const bool floor = o.target == "floor";
        o.target = bench::resolveTarget(o.target);
        if (std::string why = bench::checkTarget(o.target); !why.empty())
            throw UsageError{std::string(floor ? "--target floor: " : "--target: ") + why};
    }
    return o;
}

std::string describe(const bench::Point &p)
{
    if (p.series == "close_fds")
        return p.strategy + " " + p.closeMethod + " with " + std::to_string(p.openFds) +
               " open fds, RLIMIT_NOFILE " + std::to_string(p.nofile);
    if (p.series == "threads") {
        char rate[64];
        std::snprintf(rate, sizeof rate, "%.0f spawns/s", p.spawnsPerSecond.median);
        return p.strategy + " with " + std::to_string(p.threads) + " threads: " + rate;
    }
    if (!p.api.empty()) return p.strategy + " " + p.api + " at " + std::to_string(p.rssMb) + " MiB";
    return p.strategy + " at " + std::to_string(p.rssMb) + " MiB" +
           (p.shape.empty() ? "" : " " + p.shape);
}

// "[3/12] vfork at 1024 MiB: median 180 us (exec confirmed 120 us, returned 121 us)"
void progress(const std::vector<bench::Point> &points, int done, int total)
{
    const bench::Point &p = points.front();
    char line[512];
    std::snprintf(line, sizeof line, "[%d/%d] %s: median %.0f us", done, total, describe(p).c_str(),
                  p.stats.median);
    std::string text = line;
    std::string phases;
    for (const bench::Point &other : points) {
        if (other.phase == bench::Phase::RoundTrip) continue;
        const char *what =
            other.phase == bench::Phase::ExecConfirmed ? "exec confirmed" : "returned";
        std::snprintf(line, sizeof line, "%s%s %.0f us", phases.empty() ? "" : ", ", what,
                      other.stats.median);
        phases += line;
    }
    if (!phases.empty()) text += " (" + phases + ")";
    if (p.failures) text += ", " + std::to_string(p.failures) + " failed";
    writeErr(text + "\n");
}

// The worker must not outlive whoever started it (the GUI, killed or not):
// it would hold its ballast, gigabytes, until its next write failed. A parent
// that died before the prctl has already made us an orphan.
void dieWithParent()
{
    const pid_t parent = ::getppid();
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        writeErr("bench: cannot tie this worker to its parent: prctl(PR_SET_PDEATHSIG): " +
                 spawnlab::errnoName(errno) + "\n");
        return;
    }
    if (::getppid() != parent) ::raise(SIGKILL);
}

// The raw baselines exec the target with nothing but fork/vfork: it would
// inherit our stdout (the points) and stderr (the progress) and could write
// into them. Close-on-exec keeps the baselines bare and the output ours.
void keepOutputFromTargets()
{
    for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
        const int flags = ::fcntl(fd, F_GETFD);
        if (flags < 0 || ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC) != 0)
            writeErr("bench: cannot keep fd " + std::to_string(fd) +
                     " from the targets: fcntl: " + spawnlab::errnoName(errno) + "\n");
    }
}

void catchInterrupts()
{
    struct sigaction action {
    };
    action.sa_handler = onInterrupt;
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction old {
        };
        // One ignored when we started (nohup) stays ignored.
        if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        ::sigaction(sig, &action, nullptr);
    }
}

// The series `o` names, on the options' grid, with what every series shares.
bench::Outcome runSeries(const Options &o, const bench::SeriesConfig &common)
{
    if (o.series == "rss" || o.series == "memory") {
        bench::RssConfig c;
        static_cast<bench::SeriesConfig &>(c) = common;
        c.strategies = o.strategies.value_or(bench::knownStrategies());
        c.sizesMb = o.sizesMb;
        c.passes = o.passes;
        c.thp = o.thp;
        if (o.series == "memory") {
            c.shapes = o.shapes;
            c.vmaCount = o.vmas;
        }
        return o.series == "rss" ? bench::runRssSeries(c) : bench::runMemorySeries(c);
    } else if (o.series == "runtimes") {
        bench::RuntimesConfig c;
        static_cast<bench::SeriesConfig &>(c) = common;
        c.runtimes = o.runtimes;
        c.sizesMb = o.sizesMb;
        return bench::runRuntimesSeries(c);
    } else if (o.series == "threads") {
        bench::ThreadsConfig c;
        static_cast<bench::SeriesConfig &>(c) = common;
        c.strategies = o.strategies.value_or(bench::knownStrategies());
        c.threads = o.threads;
        c.windowSeconds = o.windowSeconds;
        c.rssMb = o.sizesMb.front();
        c.thp = o.thp;
        return bench::runThreadsSeries(c);
    } else {
        bench::CloseFdsConfig c;
        static_cast<bench::SeriesConfig &>(c) = common;
        if (o.strategies) c.strategy = o.strategies->front();
        c.methods = o.closeMethods;
        if (o.openFds) c.openFds = *o.openFds;
        if (o.nofile) c.nofile = *o.nofile;
        c.maxSecondsPerCell = o.maxSeconds;
        return bench::runCloseFdsSeries(c);
    }
}

// Why the largest ballast asked for cannot be held now, or "" (a memory
// series of the reserved shape alone touches nothing, so any size goes).
std::string ballastTooLarge(const Options &o)
{
    if (o.series == "close_fds") return {}; // the one series without a ballast
    std::uint64_t largest = 0;
    for (auto mib : o.sizesMb)
        largest = std::max(largest, mib);
    const bool onlyReserved = o.series == "memory" && o.shapes.size() == 1 &&
                              o.shapes.front() == bench::MemoryShape::Reserved;
    if (onlyReserved || largest <= bench::maxBallastMib()) return {};
    return std::to_string(largest) + " MiB is more than this machine can hold now: at most " +
           std::to_string(bench::maxBallastMib()) +
           " MiB (MemAvailable less 512 MiB for the children)";
}

// Where and what the run measures, as the report's header says it.
bench::Meta runMeta(const Options &o)
{
    bench::Meta meta = bench::collectMeta();
    meta.series = o.series;
    meta.thp = std::string(bench::thpName(o.thp));
    meta.target = o.target.empty() ? bench::defaultTarget() : o.target;
    const bench::SeriesConfig defaults = bench::seriesDefaults(o.series);
    meta.runs = o.runs.value_or(defaults.runs);
    meta.warmup = o.warmup.value_or(defaults.warmup);
    meta.passes =
        o.series == "rss" || o.series == "memory" ? bench::passesRun(o.passes, meta.runs) : 1;
    if (o.target.empty() && !bench::defaultTargetIsStatic())
        meta.notes.push_back("spawnlab-noop is linked dynamically (static linking failed at "
                             "build time), so exec times include the dynamic loader");
    return meta;
}

// The exit status once the points are out, saying on stderr why it is not 0.
int exitStatus(const bench::Outcome &outcome)
{
    // Interrupted first: a sample whose target was killed may have failed.
    if (!outcome.cancelled && !interrupted.load() && !outcome.error.empty()) {
        writeErr("spawnlab-cli: bench: " + outcome.error + "\n");
        return exitFailed;
    }
    if (outcome.cancelled || interrupted.load()) {
        const int sig = interruptSignal.load();
        writeErr("spawnlab-cli: bench: interrupted by " + spawnlab::signalName(sig) +
                 "; the points so far were printed\n");
        return exitInterruptedBase + sig;
    }
    return 0;
}

} // namespace

int benchCommand(std::span<char *const> args)
{
    dieWithParent();
    const Command command{"bench", benchUsage, BenchOptions().all()};
    Options o;
    try {
        o = parseOptions(args);
    } catch (const UsageError &e) {
        return usageFailure(command, e);
    }
    if (o.help) {
        writeOut(command.help());
        return 0;
    }
    if (const std::string tooLarge = ballastTooLarge(o); !tooLarge.empty()) {
        writeErr("spawnlab-cli: bench: --sizes-mb: " + tooLarge + "\n");
        return exitFailed;
    }
    bench::Meta meta = runMeta(o);

    // Points nobody can read are not worth measuring: a failed write stops the run.
    bool outputLost = false;
    auto print = [&](const std::string &text) {
        if (!writeOut(text)) {
            outputLost = true;
            interrupted.store(true);
        }
    };
    auto onPoints = [&](const std::vector<bench::Point> &points, int done, int total) {
        progress(points, done, total);
        for (const auto &p : points) {
            if (o.format == "jsonl") print(bench::pointJson(p) + "\n");
            if (o.format == "csv") print(bench::csvRow(p));
        }
    };
    auto onNote = [](const std::string &note) { writeErr("bench: " + note + "\n"); };
    // For programs that show progress (the GUI): units done of the total.
    auto onProgress = [](int done, int total) {
        writeErr("progress: " + std::to_string(done) + "/" + std::to_string(total) + "\n");
    };

    catchInterrupts();
    keepOutputFromTargets();
    if (o.format == "csv") print(bench::csvHeader());
    // jsonl: what is run and where first, so a reader (the GUI) need not guess it.
    if (o.format == "jsonl") print(bench::metaJson(meta) + "\n");

    // The part every series shares; each series adds its grid.
    bench::SeriesConfig common(meta.runs, meta.warmup);
    common.target = o.target;
    common.cancel = &interrupted;
    common.onPoints = onPoints;
    common.onProgress = onProgress;
    common.onNote = onNote;

    const bench::Outcome outcome = runSeries(o, common);
    meta.notes.insert(meta.notes.end(), outcome.notes.begin(), outcome.notes.end());
    // What was skipped and why, for every format (json also has them in "notes").
    for (const std::string &note : outcome.notes)
        writeErr("note: " + note + "\n");
    if (o.format == "json") print(bench::reportJson(meta, outcome.points));
    if (o.format == "jsonl" && !outcome.notes.empty())
        print(bench::notesJson(outcome.notes) + "\n");
    if (outputLost) return exitFailed; // finishOutput says why
    return exitStatus(outcome);
}
