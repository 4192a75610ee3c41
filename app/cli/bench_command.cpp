#include "bench_command.h"

#include "spawnlab/bench.h"

#include <signal.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench = spawnlab::bench;

namespace {

constexpr int exitFailed = 1;
constexpr int exitUsage = 2;
constexpr int exitInterrupted = 130;

const char benchUsage[] =
    "usage: spawnlab-cli bench [OPTIONS]\n"
    "\n"
    "Measures spawn latency in this process, whose RSS a ballast makes each requested size.\n"
    "Points go to stdout; to stderr each finished point (\"[3/12] vfork at 1024 MiB: ...\"),\n"
    "what it is doing (\"bench: ...\"), \"progress: DONE/TOTAL\" (size visits, or close_fds\n"
    "cells) and, at the end, what was skipped and why (\"note: ...\").\n"
    "\n"
    "  --series rss|close_fds    what to vary (default rss)\n"
    "  --strategies LIST         of fork, vfork, clone_vm, posix_spawn, raw_fork, raw_vfork\n"
    "                            (rss default: all; close_fds default: clone_vm)\n"
    "  --sizes-mb LIST           ballast sizes in MiB (default 0,256,1024)\n"
    "  --runs N                  samples per point (default 200; close_fds 50)\n"
    "  --warmup N                unmeasured spawns first (default 10; close_fds 3)\n"
    "  --passes N                rss: visit the sizes N times, alternately up and down, each\n"
    "                            visit taking its share of the runs (default 1)\n"
    "  --target PATH             the program to exec (default: spawnlab-noop)\n"
    "  --format json|csv|jsonl   json: one object at the end; csv, jsonl: as points finish\n"
    "  --thp on|off|default      MADV_HUGEPAGE, MADV_NOHUGEPAGE or the system's setting\n"
    "  --close-methods LIST      close_fds: of close_range, proc, brute (default all)\n"
    "  --open-fds LIST           close_fds: fds open in the spawner (default 10,...,100000)\n"
    "  --nofile LIST             close_fds: RLIMIT_NOFILE values (default 1024,...,1048576)\n"
    "  --max-seconds S           close_fds: stop a point after S seconds, at >= 3 samples\n";

std::atomic<bool> interrupted{false};

void onInterrupt(int)
{
    interrupted.store(true);
}

struct UsageError {
    std::string message;
};

std::vector<std::string> splitList(const std::string &option, std::string_view text)
{
    std::vector<std::string> items;
    for (;;) {
        const auto comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        if (item.empty())
            throw UsageError{option + ": empty item in \"" + std::string(text) + "\""};
        items.emplace_back(item);
        if (comma == std::string_view::npos) return items;
        text.remove_prefix(comma + 1);
    }
}

long long parseCount(const std::string &option, std::string_view text, long long min)
{
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min)
        throw UsageError{option + ": \"" + std::string(text) +
                         "\" is not a whole number >= " + std::to_string(min)};
    return value;
}

template <typename T>
std::vector<T> parseCounts(const std::string &option, std::string_view text, long long min)
{
    std::vector<T> values;
    for (const auto &item : splitList(option, text))
        values.push_back(T(parseCount(option, item, min)));
    return values;
}

std::string oneOf(const std::string &option, const std::string &value,
                  const std::vector<std::string> &allowed)
{
    for (const auto &a : allowed)
        if (a == value) return value;
    std::string list;
    for (const auto &a : allowed)
        list += (list.empty() ? "" : ", ") + a;
    throw UsageError{option + ": \"" + value + "\" is not one of " + list};
}

struct Options {
    std::string series = "rss";
    std::optional<std::vector<std::string>> strategies;
    std::vector<std::uint64_t> sizesMb{0, 256, 1024};
    std::optional<int> runs, warmup;
    int passes = 1;
    std::string target;
    std::string format = "json";
    bench::Thp thp = bench::Thp::Default;
    std::vector<std::string> closeMethods{"close_range", "proc", "brute"};
    std::optional<std::vector<long long>> openFds, nofile;
    double maxSeconds = 5;
    bool help = false;
};

Options parseOptions(std::span<char *const> args)
{
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (arg == "-h" || arg == "--help") {
            o.help = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0) throw UsageError{"unexpected argument \"" + arg + "\""};
        std::string value;
        if (const auto eq = arg.find('='); eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg.resize(eq);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            throw UsageError{arg + ": missing a value"};
        }
        if (arg == "--series") {
            o.series = oneOf(arg, value, {"rss", "close_fds"});
        } else if (arg == "--strategies") {
            o.strategies = splitList(arg, value);
            for (const auto &s : *o.strategies)
                oneOf(arg, s, bench::knownStrategies());
        } else if (arg == "--sizes-mb") {
            o.sizesMb = parseCounts<std::uint64_t>(arg, value, 0);
        } else if (arg == "--runs") {
            o.runs = int(parseCount(arg, value, 1));
        } else if (arg == "--warmup") {
            o.warmup = int(parseCount(arg, value, 0));
        } else if (arg == "--passes") {
            o.passes = int(parseCount(arg, value, 1));
        } else if (arg == "--target") {
            o.target = value;
        } else if (arg == "--format") {
            o.format = oneOf(arg, value, {"json", "csv", "jsonl"});
        } else if (arg == "--thp") {
            const std::string thp = oneOf(arg, value, {"on", "off", "default"});
            o.thp = thp == "on"    ? bench::Thp::On
                    : thp == "off" ? bench::Thp::Off
                                   : bench::Thp::Default;
        } else if (arg == "--close-methods") {
            o.closeMethods = splitList(arg, value);
            for (const auto &m : o.closeMethods)
                oneOf(arg, m, {"close_range", "proc", "brute"});
        } else if (arg == "--open-fds") {
            o.openFds = parseCounts<long long>(arg, value, 1);
        } else if (arg == "--nofile") {
            o.nofile = parseCounts<long long>(arg, value, 16);
        } else if (arg == "--max-seconds") {
            o.maxSeconds = double(parseCount(arg, value, 0));
        } else {
            throw UsageError{"unknown option \"" + arg + "\""};
        }
    }
    if (o.series == "close_fds" && o.strategies) {
        if (o.strategies->size() != 1)
            throw UsageError{"--strategies: the close_fds series measures one strategy"};
        oneOf("--strategies", o.strategies->front(), {"fork", "vfork", "clone_vm"});
    }
    if (o.runs && *o.runs > 1000000) throw UsageError{"--runs: at most 1000000"};
    if (!o.target.empty()) {
        if (std::string why = bench::checkTarget(o.target); !why.empty())
            throw UsageError{"--target: " + why};
    }
    return o;
}

void print(std::FILE *to, const std::string &text)
{
    std::fwrite(text.data(), 1, text.size(), to);
    std::fflush(to);
}

std::string describe(const bench::Point &p)
{
    if (p.series == "close_fds")
        return p.strategy + " " + p.closeMethod + " with " + std::to_string(p.openFds) +
               " open fds, RLIMIT_NOFILE " + std::to_string(p.nofile);
    return p.strategy + " at " + std::to_string(p.rssMb) + " MiB";
}

// "[3/12] vfork at 1024 MiB: median 180 us (exec confirmed 120 us)"
void progress(const std::vector<bench::Point> &points, int done, int total)
{
    const bench::Point &p = points.front();
    char line[512];
    std::snprintf(line, sizeof line, "[%d/%d] %s: median %.0f us", done, total, describe(p).c_str(),
                  p.stats.median);
    std::string text = line;
    if (points.size() > 1) {
        std::snprintf(line, sizeof line, " (exec confirmed %.0f us)", points[1].stats.median);
        text += line;
    }
    if (p.failures) text += ", " + std::to_string(p.failures) + " failed";
    print(stderr, text + "\n");
}

} // namespace

int benchCommand(std::span<char *const> args)
{
    Options o;
    try {
        o = parseOptions(args);
    } catch (const UsageError &e) {
        std::fprintf(stderr, "spawnlab-cli: bench: %s\n\n%s", e.message.c_str(), benchUsage);
        return exitUsage;
    }
    if (o.help) {
        print(stdout, benchUsage);
        return 0;
    }
    const bool rss = o.series == "rss";
    if (rss) {
        std::uint64_t largest = 0;
        for (auto mib : o.sizesMb)
            largest = std::max(largest, mib);
        if (largest > bench::maxBallastMib()) {
            std::fprintf(
                stderr,
                "spawnlab-cli: bench: --sizes-mb: %llu MiB is more than this machine can "
                "hold now: at most %llu MiB (MemAvailable less 512 MiB for the children)\n",
                (unsigned long long)largest, (unsigned long long)bench::maxBallastMib());
            return exitFailed;
        }
    }

    bench::Meta meta = bench::collectMeta();
    meta.series = o.series;
    meta.thp = std::string(bench::thpName(o.thp));
    meta.target = o.target.empty() ? bench::defaultTarget() : o.target;
    meta.runs = o.runs.value_or(rss ? 200 : 50);
    meta.warmup = o.warmup.value_or(rss ? 10 : 3);
    meta.passes = rss ? o.passes : 1;
    if (o.target.empty() && !bench::defaultTargetIsStatic())
        meta.notes.push_back("spawnlab-noop is linked dynamically (static linking failed at "
                             "build time), so exec times include the dynamic loader");

    std::vector<bench::Point> collected;
    auto onPoints = [&](const std::vector<bench::Point> &points, int done, int total) {
        progress(points, done, total);
        for (const auto &p : points) {
            if (o.format == "jsonl") print(stdout, bench::pointJson(p) + "\n");
            if (o.format == "csv") print(stdout, bench::csvRow(p));
        }
    };
    auto onNote = [](const std::string &note) { print(stderr, "bench: " + note + "\n"); };
    // For programs that show progress (the GUI): units done of the total.
    auto onProgress = [](int done, int total) {
        print(stderr, "progress: " + std::to_string(done) + "/" + std::to_string(total) + "\n");
    };

    struct sigaction action {
    };
    action.sa_handler = onInterrupt;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    if (o.format == "csv") print(stdout, bench::csvHeader());

    bench::Outcome outcome;
    if (rss) {
        bench::RssConfig c;
        c.strategies = o.strategies.value_or(bench::knownStrategies());
        c.sizesMb = o.sizesMb;
        c.runs = meta.runs;
        c.warmup = meta.warmup;
        c.passes = o.passes;
        c.target = o.target;
        c.thp = o.thp;
        c.cancel = &interrupted;
        c.onPoints = onPoints;
        c.onProgress = onProgress;
        c.onNote = onNote;
        outcome = bench::runRssSeries(c);
    } else {
        bench::CloseFdsConfig c;
        if (o.strategies) c.strategy = o.strategies->front();
        c.methods = o.closeMethods;
        if (o.openFds) c.openFds = *o.openFds;
        if (o.nofile) c.nofile = *o.nofile;
        c.runs = meta.runs;
        c.warmup = meta.warmup;
        c.maxSecondsPerCell = o.maxSeconds;
        c.target = o.target;
        c.cancel = &interrupted;
        c.onPoints = onPoints;
        c.onProgress = onProgress;
        c.onNote = onNote;
        outcome = bench::runCloseFdsSeries(c);
    }
    meta.notes.insert(meta.notes.end(), outcome.notes.begin(), outcome.notes.end());
    // What was skipped and why, for every format (json also has them in "notes").
    for (const std::string &note : outcome.notes)
        print(stderr, "note: " + note + "\n");
    if (o.format == "json") print(stdout, bench::reportJson(meta, outcome.points));
    if (!outcome.error.empty()) {
        std::fprintf(stderr, "spawnlab-cli: bench: %s\n", outcome.error.c_str());
        return exitFailed;
    }
    if (outcome.cancelled) {
        std::fprintf(stderr, "spawnlab-cli: bench: interrupted; the points so far were printed\n");
        return exitInterrupted;
    }
    return 0;
}
