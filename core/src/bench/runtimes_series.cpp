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

namespace {

// One runtimes series: each runtime's driver run in turn over every size.
class RuntimesWalk
{
public:
    explicit RuntimesWalk(const RuntimesConfig &config)
        : m_config(config), m_total(int(config.runtimes.size() * config.sizesMb.size()))
    {
        std::error_code ec;
        m_scratch = std::filesystem::temp_directory_path(ec) /
                    ("spawnlab-runtimes-" + std::to_string(getpid()));
    }

    Outcome run()
    {
        const std::string target = resolveTarget(m_config.target, m_out.error);
        if (!m_out.error.empty()) return std::move(m_out);
        if (m_config.runtimes.empty() || m_config.sizesMb.empty() || m_config.runs < 1) {
            m_out.error = "nothing to measure: give at least one runtime, one size and one run";
            return std::move(m_out);
        }
        m_args = {target, std::to_string(m_config.runs), std::to_string(m_config.warmup)};
        for (const std::uint64_t mib : m_config.sizesMb)
            m_args.push_back(std::to_string(mib));
        for (const std::string &name : m_config.runtimes)
            if (cancelled(m_config.cancel) || !measure(name)) break;
        std::error_code ec;
        std::filesystem::remove_all(m_scratch, ec);
        m_out.cancelled = cancelled(m_config.cancel);
        if (m_out.error.empty() && !m_out.cancelled && m_out.points.empty())
            m_out.error = "no runtime could be measured (see the notes)";
        return std::move(m_out);
    }

private:
    void note(const std::string &text) const
    {
        if (m_config.onNote) m_config.onNote(text);
    }

    // What was not measured and why; the callers print it at the end.
    void skip(const std::string &text)
    {
        m_out.notes.push_back(text);
        m_done += int(m_config.sizesMb.size());
        if (m_config.onProgress) m_config.onProgress(m_done, m_total);
    }

    // Runs one runtime's driver; false when the series stops (an error, a cancel).
    bool measure(const std::string &name)
    {
        const RuntimeInfo *runtime = nullptr;
        for (const RuntimeInfo &r : runtimeInfos())
            if (name == r.name) runtime = &r;
        if (!runtime) {
            m_out.error = "unknown runtime \"" + name + "\" (python, go or node)";
            return false;
        }
        const std::string program = findRuntime(*runtime);
        if (program.empty()) {
            skip(name + ": not measured, " + runtime->program + " is not found on PATH");
            return true;
        }
        const std::string driver = runtimesDir() + "/" + runtime->driver;
        if (access(driver.c_str(), R_OK) != 0) {
            m_out.error = name + ": its driver " + driver + " is missing: " + errnoName(errno);
            return false;
        }
        std::vector<std::string> argv{program, driver};
        if (name == "node") argv = {program, "--expose-gc", driver};
        if (name == "go") {
            std::string why;
            const std::string binary = buildGoDriver(program, driver, why);
            if (cancelled(m_config.cancel)) return false;
            if (binary.empty()) {
                skip("go: not measured, go build failed: " + why);
                return true;
            }
            argv = {binary};
        }
        argv.insert(argv.end(), m_args.begin(), m_args.end());
        note(name + ": running " + driver);

        m_base = Point{};
        m_base.series = "runtimes";
        m_base.strategy = name;
        m_driverError.clear();
        const Helper ran =
            runHelper(argv, {}, m_config.cancel,
                      [this, &name](const std::string &line) { readDriverLine(name, line); });
        if (cancelled(m_config.cancel)) return false;
        if (!ran.ok || !m_driverError.empty())
            m_out.notes.push_back(
                name + ": " +
                (m_driverError.empty() ? "its driver failed: " + ran.why : m_driverError));
        return true;
    }

    // Built each time into the scratch folder; Go's own build cache makes the
    // second build quick. The binary, or "" with `why` said.
    std::string buildGoDriver(const std::string &go, const std::string &driver, std::string &why)
    {
        std::error_code ec;
        std::filesystem::create_directories(m_scratch, ec);
        const std::string binary = (m_scratch / "go_exec").string();
        // Go's own work folder goes inside the scratch one too: a go killed
        // mid-build (the run interrupted) cannot remove it, the series can.
        const std::filesystem::path work = m_scratch / "gotmp";
        std::filesystem::create_directories(work, ec);
        std::vector<std::pair<std::string, std::string>> env{{"GOTMPDIR", work.string()}};
        // Without HOME, Go needs GOCACHE given.
        if (!std::getenv("HOME") && !std::getenv("XDG_CACHE_HOME"))
            env.emplace_back("GOCACHE", (m_scratch / "gocache").string());
        note("go: building " + driver);
        const Helper built = runHelper({go, "build", "-o", binary, driver}, env, m_config.cancel,
                                       [](const std::string &) {});
        if (built.ok) return binary;
        why = built.why;
        return {};
    }

    // One line the driver printed: its runtime, an error, or a cell's samples.
    void readDriverLine(const std::string &name, const std::string &line)
    {
        if (line.starts_with("runtime ")) {
            std::istringstream in(line.substr(8));
            std::string runtimeName;
            in >> runtimeName >> m_base.api >> m_base.version;
            note(name + ": measuring " + m_base.api + " " + m_base.version);
        } else if (line.starts_with("error ")) {
            m_driverError = line.substr(6);
        } else if (line.starts_with("cell ")) {
            Point p = m_base;
            std::vector<double> samples;
            if (!parseCell(line, p, samples) || samples.empty()) {
                m_driverError = "a line it printed is not a cell: \"" + line.substr(0, 80) + "\"";
                return;
            }
            p.stats = computeStats(samples);
            m_out.points.push_back(p);
            if (m_config.onPoints) m_config.onPoints({p}, ++m_done, m_total);
            if (m_config.onProgress) m_config.onProgress(m_done, m_total);
        }
    }

    const RuntimesConfig &m_config;
    const int m_total;
    int m_done = 0;
    std::filesystem::path m_scratch;
    std::vector<std::string> m_args; // after the driver: target, runs, warmup, sizes
    Point m_base;                    // the running driver's point fields
    std::string m_driverError;
    Outcome m_out;
};

} // namespace

Outcome runRuntimesSeries(const RuntimesConfig &config)
{
    return RuntimesWalk(config).run();
}

} // namespace spawnlab::bench
