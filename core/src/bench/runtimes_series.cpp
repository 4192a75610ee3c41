// SPDX-License-Identifier: GPL-3.0-or-later
// What a runtime pays to spawn: Python's subprocess.run, Go's os/exec and
// Node's child_process.spawnSync, each timed inside its own runtime by a small
// driver (resources/bench/runtimes/) that holds a ballast of each size and
// spawns the same target. The driver prints its samples; the statistics are
// computed here, as for every other series. A runtime that is not installed,
// or whose driver fails, is a note; the others are still measured.
#include "series.h"

#include "spawnlab/environment.h"
#include "spawnlab/launch.h"
#include "spawnlab/names.h"
#include "spawnlab/pidfd.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

namespace spawnlab::bench {

using namespace detail;

namespace {

// What one run of a helper program (go build, a driver) printed and how it ended.
struct Helper {
    bool ok = false;
    std::string why; // when !ok: the sentence
};

// Runs `argv` with stdout to `onLine` line by line and stderr kept for the
// message; killed (SIGKILL by its pidfd) once `cancel` is set.
Helper runHelper(const std::vector<std::string> &argv,
                 const std::vector<std::pair<std::string, std::string>> &env,
                 const std::atomic<bool> *cancel,
                 const std::function<void(const std::string &)> &onLine)
{
    SpawnPlan plan;
    plan.argv = argv;
    plan.env.set = env;
    for (int fd = 0; fd < 3; ++fd) {
        FdAction a;
        a.fd = fd;
        a.action = fd == 0 ? FdActionKind::Null : FdActionKind::PipeOut;
        plan.fds.push_back(a);
    }
    std::atomic<int> pidfd{-1};
    std::atomic<bool> finished{false};
    std::string out, err;
    RunOptions options;
    options.snapshotParent = false;
    options.onSpawned = [&](pid_t, int fd) { pidfd = fd >= 0 ? dup(fd) : -1; };
    options.onOutput = [&](int fd, std::string_view chunk) {
        if (fd == 2) {
            err.append(chunk);
            if (err.size() > 4096) err.erase(0, err.size() - 4096);
            return;
        }
        out.append(chunk);
        for (std::size_t end; (end = out.find('\n')) != std::string::npos; out.erase(0, end + 1))
            onLine(out.substr(0, end));
    };
    // The driver may be quiet for a long while (a slow cell): the watcher
    // kills it as soon as the run is cancelled.
    std::jthread watcher([&] {
        while (!finished.load()) {
            if (cancelled(cancel) && pidfd.load() >= 0) {
                pidfd_send_signal(pidfd.load(), SIGKILL, nullptr, 0);
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    const RunResult r = run(plan, options);
    finished = true;
    watcher.join();
    if (pidfd.load() >= 0) close(pidfd.load());
    Helper h;
    if (r.error) return h.why = r.error->message, h;
    while (!err.empty() && err.back() == '\n')
        err.pop_back();
    const std::string lastErr =
        err.substr(err.rfind('\n') == std::string::npos ? 0 : err.rfind('\n') + 1);
    if (!r.exit || !r.exit->exited)
        return h.why = "killed by " + signalName(r.exit ? r.exit->signal : 0), h;
    if (r.exit->code != 0)
        return h.why = "exit " + std::to_string(r.exit->code) +
                       (lastErr.empty() ? std::string() : ": " + lastErr),
               h;
    h.ok = true;
    return h;
}

// "cell SIZE_MB VMRSS_KB FAILURES US..." into a point's fields.
bool parseCell(const std::string &line, Point &p, std::vector<double> &samples)
{
    std::istringstream in(line.substr(5));
    long long rss = -1;
    in >> p.rssMb >> rss >> p.failures;
    if (!in) return false;
    p.rssKbMeasured = rss;
    for (double us; in >> us;)
        samples.push_back(us);
    return in.eof();
}

} // namespace

const std::vector<RuntimeInfo> &runtimeInfos()
{
    static const std::vector<RuntimeInfo> runtimes{
        {"python", "python3", "subprocess.run", "python_subprocess.py"},
        {"go", "go", "os/exec", "go_exec.go"},
        {"node", "node", "child_process.spawnSync", "node_spawnsync.js"},
    };
    return runtimes;
}

const std::vector<std::string> &knownRuntimes()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const RuntimeInfo &r : runtimeInfos())
            n.push_back(r.name);
        return n;
    }();
    return names;
}

std::string findRuntime(const RuntimeInfo &runtime)
{
    for (const std::string &candidate : execCandidates(runtime.program, std::getenv("PATH")))
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
    return {};
}

std::string runtimesDir()
{
    char exe[4096];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        const std::filesystem::path installed =
            std::filesystem::path(std::string(exe, std::size_t(n))).parent_path() /
            "../share/spawnlab/bench/runtimes";
        std::error_code ec;
        if (std::filesystem::is_directory(installed, ec)) return installed.lexically_normal();
    }
    return SPAWNLAB_RUNTIMES_SOURCE_DIR;
}

Outcome runRuntimesSeries(const RuntimesConfig &config)
{
    Outcome out;
    const std::string target = resolveTarget(config.target, out.error);
    if (!out.error.empty()) return out;
    if (config.runtimes.empty() || config.sizesMb.empty() || config.runs < 1) {
        out.error = "nothing to measure: give at least one runtime, one size and one run";
        return out;
    }
    std::vector<std::string> args{target, std::to_string(config.runs),
                                  std::to_string(config.warmup)};
    for (const std::uint64_t mib : config.sizesMb)
        args.push_back(std::to_string(mib));
    const int total = int(config.runtimes.size() * config.sizesMb.size());
    int done = 0;
    // What was not measured and why; the callers print it at the end.
    auto skipped = [&](const std::string &text) {
        out.notes.push_back(text);
        done += int(config.sizesMb.size());
        if (config.onProgress) config.onProgress(done, total);
    };
    std::error_code ec;
    const std::filesystem::path scratch = std::filesystem::temp_directory_path(ec) /
                                          ("spawnlab-runtimes-" + std::to_string(getpid()));

    for (const std::string &name : config.runtimes) {
        if (cancelled(config.cancel)) break;
        const RuntimeInfo *runtime = nullptr;
        for (const RuntimeInfo &r : runtimeInfos())
            if (name == r.name) runtime = &r;
        if (!runtime) {
            out.error = "unknown runtime \"" + name + "\" (python, go or node)";
            break;
        }
        const std::string program = findRuntime(*runtime);
        if (program.empty()) {
            skipped(name + ": not measured, " + runtime->program + " is not found on PATH");
            continue;
        }
        const std::string driver = runtimesDir() + "/" + runtime->driver;
        if (access(driver.c_str(), R_OK) != 0) {
            out.error = name + ": its driver " + driver + " is missing: " + errnoName(errno);
            break;
        }
        std::vector<std::string> argv{program, driver};
        if (name == "node") argv = {program, "--expose-gc", driver};
        if (name == "go") {
            // Built each time into a scratch folder; Go's own build cache makes
            // the second build quick. Without HOME, Go needs GOCACHE given.
            std::filesystem::create_directories(scratch, ec);
            const std::string binary = (scratch / "go_exec").string();
            std::vector<std::pair<std::string, std::string>> env;
            if (!std::getenv("HOME") && !std::getenv("XDG_CACHE_HOME"))
                env.emplace_back("GOCACHE", (scratch / "gocache").string());
            if (config.onNote) config.onNote("go: building " + driver);
            const Helper built = runHelper({program, "build", "-o", binary, driver}, env,
                                           config.cancel, [](const std::string &) {});
            if (cancelled(config.cancel)) break;
            if (!built.ok) {
                skipped("go: not measured, go build failed: " + built.why);
                continue;
            }
            argv = {binary};
        }
        argv.insert(argv.end(), args.begin(), args.end());
        if (config.onNote) config.onNote(name + ": running " + driver);

        Point base;
        base.series = "runtimes";
        base.strategy = name;
        std::string driverError;
        const Helper ran = runHelper(argv, {}, config.cancel, [&](const std::string &line) {
            if (line.starts_with("runtime ")) {
                std::istringstream in(line.substr(8));
                std::string runtimeName;
                in >> runtimeName >> base.api >> base.version;
                if (config.onNote)
                    config.onNote(name + ": measuring " + base.api + " " + base.version);
            } else if (line.starts_with("error ")) {
                driverError = line.substr(6);
            } else if (line.starts_with("cell ")) {
                Point p = base;
                std::vector<double> samples;
                if (!parseCell(line, p, samples) || samples.empty()) {
                    driverError = "a line it printed is not a cell: \"" + line.substr(0, 80) + "\"";
                    return;
                }
                p.stats = computeStats(samples);
                out.points.push_back(p);
                if (config.onPoints) config.onPoints({p}, ++done, total);
                if (config.onProgress) config.onProgress(done, total);
            }
        });
        if (cancelled(config.cancel)) break;
        if (!ran.ok || !driverError.empty())
            out.notes.push_back(
                name + ": " +
                (driverError.empty() ? "its driver failed: " + ran.why : driverError));
    }
    std::filesystem::remove_all(scratch, ec);
    out.cancelled = cancelled(config.cancel);
    if (out.error.empty() && !out.cancelled && out.points.empty())
        out.error = "no runtime could be measured (see the notes)";
    return out;
}

} // namespace spawnlab::bench
