// SPDX-License-Identifier: GPL-3.0-or-later
// The benchmark (DESIGN.md "Benchmark"): a ballast that makes this process's
// RSS a requested size, spawn latency sampled per (strategy, size) through the
// same core path the GUI runs plus raw fork/vfork+execve baselines, the
// close_fds cost against open fds and RLIMIT_NOFILE, the statistics, and the
// JSON/CSV writers. No Qt: spawnlab-cli runs it in a worker process.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spawnlab::bench {

// --- statistics: the only place they are computed ---------------------------

struct Stats {
    std::size_t count = 0;
    double min = 0, p10 = 0, median = 0, p90 = 0, p99 = 0, mean = 0;
};

// Percentiles by linear interpolation between closest ranks (Hyndman & Fan
// type 7, numpy's default): sort the n samples x[0..n-1]; the p-quantile is at
// rank h = (n - 1) p, value x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
// So the median of an even count is the mean of the middle two, p0 is the
// minimum, p100 the maximum. No samples: all zero, count 0.
Stats computeStats(std::vector<double> samples);

// Least-squares line y = slope x + intercept through the pairs (x[i], y[i]),
// e.g. fork's median latency against RSS. `valid` is false with fewer than two
// pairs or when every x is the same (no slope to speak of).
struct LineFit {
    bool valid = false;
    double slope = 0, intercept = 0;
};
LineFit fitLine(const std::vector<double> &x, const std::vector<double> &y);

// --- the ballast --------------------------------------------------------------

enum class Thp { Default, On, Off }; // leave as the system says, MADV_HUGEPAGE, MADV_NOHUGEPAGE

std::string_view thpName(Thp t); // "default", "on", "off"
std::optional<Thp> parseThp(std::string_view name);

// How the ballast's memory is laid out (the memory series). fork copies page
// tables and VMAs, not bytes, so the same size costs it very differently:
//   Touched:  one mapping, every page written (resident, page tables filled);
//   Reserved: one MAP_NORESERVE mapping never touched (no page tables at all);
//   Vmas:     vmaCount mappings of an equal share, every page written; the
//             kernel cannot merge them (every other one is read-only).
enum class MemoryShape { Touched, Reserved, Vmas };
inline constexpr MemoryShape kMemoryShapes[] = {MemoryShape::Touched, MemoryShape::Reserved,
                                                MemoryShape::Vmas};
std::string_view memoryShapeName(MemoryShape s); // "touched", "reserved", "vmas"
std::optional<MemoryShape> parseMemoryShape(std::string_view name);

// Memory this process holds resident so that spawning has a real RSS to copy
// (fork) or not (vfork, clone_vm). Anonymous, private, every page written.
class Ballast
{
public:
    Ballast() = default;
    Ballast(Ballast &&other) noexcept;
    Ballast &operator=(Ballast &&other) noexcept;
    Ballast(const Ballast &) = delete;
    Ballast &operator=(const Ballast &) = delete;
    ~Ballast();

    // Maps `mib` MiB, advises THP as asked, writes every 4 KiB page. Refuses,
    // before touching anything, a size the machine cannot hold (more than
    // MemAvailable less a margin); on failure returns an empty ballast and
    // sets `error` to a sentence. 0 MiB is an empty ballast and no error.
    static Ballast allocate(std::uint64_t mib, Thp thp, std::string &error);
    // The same size in another shape. Reserved is not held to MemAvailable
    // (nothing becomes resident), only to what mmap grants. Vmas splits `mib`
    // into `vmaCount` mappings of at least one page each.
    static Ballast allocate(std::uint64_t mib, MemoryShape shape, int vmaCount, Thp thp,
                            std::string &error);

    std::uint64_t bytes() const { return bytes_; }

private:
    void *base_ = nullptr;
    std::uint64_t bytes_ = 0;
};

// The largest ballast, in MiB, allocate() accepts right now (MemAvailable less
// the margin); 0 if /proc/meminfo cannot be read.
std::uint64_t maxBallastMib();

// This process's VmRSS and AnonHugePages in KiB (/proc/self/status,
// /proc/self/smaps_rollup); -1 if unreadable.
long long residentKb();
long long anonHugeKb();
// How many mappings (VMAs) this process has: the lines of /proc/self/maps; -1
// if unreadable.
long long mappingCount();

// The system's THP mode, the bracketed word of
// /sys/kernel/mm/transparent_hugepage/enabled ("always", "madvise", "never"),
// or "unavailable".
std::string systemThpMode();

// --- what a run measures ------------------------------------------------------

// The strategies a benchmark knows: the core's "fork", "vfork", "clone_vm",
// "posix_spawn" (spawnlab::run with a realistic plan: stdio on /dev/null,
// close_fds on) and the raw baselines "raw_fork", "raw_vfork" (fork()/vfork(),
// execve, waitpid, nothing else).
const std::vector<std::string> &knownStrategies();
// The series, in the order the page and the CLI list them: "rss", "memory",
// "threads", "close_fds", "runtimes".
const std::vector<std::string> &knownSeries();
bool isRawStrategy(const std::string &name);

// What one sample's clock covers.
//   round_trip:     spawn -> exec -> exit -> reaped, as the caller of run() sees it.
//   exec_confirmed: spawn -> the parent knows exec happened. raw_fork has no
//                   way to know without an error pipe, so it has no such points.
//   spawn_returned: spawn -> the spawning call (fork, vfork, clone,
//                   posix_spawn) returned to the parent with a pid; for the
//                   core's strategies it includes preparing the plan. vfork
//                   and clone_vm return only once the child has exec'd.
enum class Phase { RoundTrip, ExecConfirmed, SpawnReturned };
inline constexpr Phase kPhases[] = {Phase::RoundTrip, Phase::ExecConfirmed, Phase::SpawnReturned};
std::string_view phaseName(Phase p); // "round_trip", "exec_confirmed", "spawn_returned"
std::optional<Phase> parsePhase(std::string_view name);

struct Point {
    std::string series = "rss"; // "rss", "memory", "close_fds" or "threads"
    std::string strategy;
    Phase phase = Phase::RoundTrip;
    std::uint64_t rssMb = 0;      // the ballast asked for
    long long rssKbMeasured = -1; // VmRSS of the spawning process at the point
    long long anonHugeKb = -1;    // of which in transparent huge pages
    std::string thp = "default";  // the ballast's advice: default, on, off
    // close_fds series only (empty / -1 otherwise):
    std::string closeMethod; // close_range, proc, brute
    std::string axis;        // "open_fds" or "nofile": what the series varies
    long long openFds = -1;  // fds open in the spawning process
    long long nofile = -1;   // its RLIMIT_NOFILE soft limit
    // memory series only: the ballast's shape and the mappings the spawning
    // process had at the point (-1 otherwise).
    std::string shape;
    long long vmas = -1;
    // threads series only: spawning threads, and spawns per second over the
    // windows (spawnsPerSecond.count is the number of windows; -1 / empty otherwise).
    int threads = -1;
    Stats spawnsPerSecond;
    // runtimes series only: the call timed ("subprocess.run") and the
    // runtime's version; `strategy` is the runtime's name.
    std::string api;
    std::string version;
    int failures = 0; // samples whose spawn failed (not in the statistics)
    Stats stats;      // in microseconds; stats.count is "runs" (threads: every spawn's)
};

// Called once per finished cell with its points (round_trip first, then
// exec_confirmed and spawn_returned where there are), the cells done so far
// and the total.
using PointCallback = std::function<void(const std::vector<Point> &points, int done, int total)>;
// Called as work is done: `done` of `total` units (rss: visits of a size in a
// pass, close_fds: cells), so progress shows before the last pass ends.
using ProgressCallback = std::function<void(int done, int total)>;
// Called with a sentence on what is happening ("allocating 8192 MiB ...").
using NoteCallback = std::function<void(const std::string &note)>;

// What every series takes besides its own grid: how many samples, the program
// exec'd, a way to stop, and where points, progress and notes go.
struct SeriesConfig {
    SeriesConfig(int defaultRuns, int defaultWarmup) : runs(defaultRuns), warmup(defaultWarmup) {}
    int runs;           // samples per cell
    int warmup;         // unmeasured spawns before them
    std::string target; // the program exec'd; empty: defaultTarget()
    const std::atomic<bool> *cancel = nullptr;
    PointCallback onPoints;
    ProgressCallback onProgress;
    NoteCallback onNote;
};

// The passes an rss or memory series really makes: each needs one run.
inline int passesRun(int passes, int runs)
{
    return passes < 1 ? 1 : passes < runs ? passes : runs < 1 ? 1 : runs;
}

// The ballast sizes the rss, memory and runtimes series walk unless told.
inline constexpr std::uint64_t kDefaultSizesMb[] = {0, 256, 1024};

struct RssConfig : SeriesConfig {
    RssConfig() : SeriesConfig(200, 10) {} // warmup per strategy, size and pass
    std::vector<std::string> strategies;
    std::vector<std::uint64_t> sizesMb{std::begin(kDefaultSizesMb), std::end(kDefaultSizesMb)};
    // Visits of every size, each taking its share of the runs; the sizes'
    // points come out in the last pass. At most `runs` (passesRun).
    int passes = 1;
    Thp thp = Thp::Default;
    // The memory series measures every size in each of these shapes; rss is
    // the touched shape alone.
    std::vector<MemoryShape> shapes{MemoryShape::Touched};
    int vmaCount = 10000;
};

struct ThreadsConfig : SeriesConfig {
    ThreadsConfig() : SeriesConfig(10, 10) {} // runs: windows per (threads, strategy)
    std::vector<std::string> strategies;
    std::vector<int> threads{1, 2, 4, 8};
    // Each window: every thread spawns in a loop until the window's time is
    // up; spawns per second is what completed over the time it took.
    double windowSeconds = 0.25;
    std::uint64_t rssMb = 0; // a touched ballast held while spawning
    Thp thp = Thp::Default;
};

struct CloseFdsConfig : SeriesConfig {
    CloseFdsConfig() : SeriesConfig(50, 3) {}
    std::string strategy = "clone_vm"; // fork, vfork or clone_vm (posix_spawn has no close_method)
    std::vector<std::string> methods{"close_range", "proc", "brute"};
    std::vector<long long> openFds{10, 100, 1000, 10000, 100000};
    std::vector<long long> nofile{1024, 4096, 16384, 65536, 262144, 1048576};
    double maxSecondsPerCell = 5; // fewer samples (at least 3) when a cell is this slow
};

const std::vector<std::string> &knownRuntimes(); // python, go, node (runtimeInfos' names)

struct RuntimesConfig : SeriesConfig {
    RuntimesConfig() : SeriesConfig(200, 10) {} // warmup per runtime and size
    std::vector<std::string> runtimes = knownRuntimes();
    std::vector<std::uint64_t> sizesMb{std::begin(kDefaultSizesMb), std::end(kDefaultSizesMb)};
};

// A runtime the runtimes series can measure: its name ("python"), the program
// it runs as ("python3", looked up on PATH), the call its driver times
// ("subprocess.run") and the driver's file in runtimesDir().
struct RuntimeInfo {
    std::string name, program, api, driver;
};
const std::vector<RuntimeInfo> &runtimeInfos(); // python, go, node
// The runtime's program on this process's PATH, or "" when not installed.
std::string findRuntime(const RuntimeInfo &runtime);
// Where the drivers are: installed, ../share/spawnlab/bench/runtimes beside
// the running executable; else the source tree's resources/bench/runtimes.
std::string runtimesDir();

// The runs and warm-up a series takes when not told (of knownSeries()).
SeriesConfig seriesDefaults(const std::string &series);

struct Outcome {
    std::vector<Point> points;
    std::vector<std::string> notes; // what was skipped and why
    std::string error;              // set when the run stopped on a failure
    bool cancelled = false;
};

// Samples are interleaved: for each size, every strategy takes one sample per
// round (starting with a different one each round), so drift on a busy machine
// hits all of them alike and their ratios stay comparable. fork and raw_fork
// form a block of their own, sampled after the others: a fork leaves the
// parent's memory write-protected, which would slow whatever spawn came next. The callback sees
// points as the last pass finishes them; Outcome::points follows sizesMb.
Outcome runRssSeries(const RssConfig &config);
// The same walk over config.shapes x config.sizesMb: points of series "memory",
// shape major, size minor.
Outcome runMemorySeries(const RssConfig &config);

// For each thread count, windows in which that many threads of this one
// process spawn at once, per strategy (rotated from window to window; fork
// and raw_fork in a block after the others, as in the rss series). A window's
// spawns per second go into Point::spawnsPerSecond; every spawn's round trip
// into Point::stats.
Outcome runThreadsSeries(const ThreadsConfig &config);

// For each runtime, its driver (Python and Node run as scripts, Go is built
// first) holding a touched ballast of each size in turn and timing `runs`
// spawns of the target after `warmup`: points of series "runtimes" whose
// strategy is the runtime's name, with api and version. A runtime not on PATH,
// or whose driver fails, is a note in Outcome::notes; the error is only that
// none could be measured.
Outcome runRuntimesSeries(const RuntimesConfig &config);

// Raises RLIMIT_NOFILE (as root up to /proc/sys/fs/nr_open) or dups fds as the
// axis needs, and puts both back afterwards.
Outcome runCloseFdsSeries(const CloseFdsConfig &config);

// The no-op program built with the project (spawnlab-noop): next to the
// running executable if it is there, else where the build put it.
std::string defaultTarget();
bool defaultTargetIsStatic();
// spawnlab-noop-floor, found the same way: no libc, one raw exit_group.
std::string floorTarget();
// What --target (or the page's choice) names: "" the default, "floor" the
// floor target, a path made absolute (so a result says which program it
// timed wherever it is read); a bare name as given, for checkTarget to refuse.
std::string resolveTarget(const std::string &choice);

// Problems with a target: "" when it is a regular executable file.
std::string checkTarget(const std::string &path);

// --- output -------------------------------------------------------------------

struct Meta {
    std::string kernel; // uname: release and version
    std::string cpu;    // model name and count
    std::string glibc;  // gnu_get_libc_version()
    // "vm (KVM)", "vm (hypervisor flag)", "bare metal": a VM's page-table
    // and exit costs differ from a bare machine's.
    std::string machine;
    // /sys/devices/system/cpu/vulnerabilities/*: name -> mitigation state
    // (the mitigations make syscalls and page faults cost more).
    std::vector<std::pair<std::string, std::string>> vulnerabilities;
    std::string thpSystem;
    std::string thp; // what the ballast asked for
    std::string target;
    std::string series;
    int runs = 0;
    int warmup = 0;
    int passes = 1;
    std::vector<std::string> notes;
};

Meta collectMeta(); // kernel, cpu, glibc, machine, vulnerabilities, thpSystem; the caller the rest

std::string pointJson(const Point &p); // one line, no newline
std::string reportJson(const Meta &meta, const std::vector<Point> &points);
// The report without its points, one line, no newline: what jsonl prints first.
std::string metaJson(const Meta &meta);
// {"notes": [...]}, one line, no newline: what jsonl prints last when the run
// found something to say (what was skipped and why).
std::string notesJson(const std::vector<std::string> &notes);
std::string csvHeader();            // with newline
std::string csvRow(const Point &p); // with newline
std::string reportCsv(const std::vector<Point> &points);

} // namespace spawnlab::bench
