// SPDX-License-Identifier: GPL-3.0-or-later
// The cost of close_fds: spawn latency against the number of open fds and
// against RLIMIT_NOFILE, per close method. close_range costs one syscall
// whatever the limit; proc (getdents64) follows the fds that exist; brute
// calls close() on every number below the soft limit.
#include "series.h"

#include "spawnlab/names.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>

namespace spawnlab::bench {
namespace {

using namespace detail;
using Clock = std::chrono::steady_clock;

long long countOpenFds()
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) return -1;
    long long n = 0;
    while (dirent *e = readdir(dir))
        if (e->d_name[0] != '.') ++n;
    closedir(dir);
    return n - 1; // the directory's own fd
}

rlim_t nrOpen()
{
    std::ifstream in("/proc/sys/fs/nr_open");
    unsigned long long value = 0;
    return in >> value ? rlim_t(value) : rlim_t(1048576);
}

// Sets the soft limit, raising the hard one if needed (allowed with
// CAP_SYS_RESOURCE, up to nr_open); RLIMIT_NOFILE is put back as it was on
// destruction.
class NofileGuard
{
public:
    NofileGuard() { getrlimit(RLIMIT_NOFILE, &saved_); }
    ~NofileGuard() { setrlimit(RLIMIT_NOFILE, &saved_); }

    rlim_t savedHard() const { return saved_.rlim_max; }

    std::string set(rlim_t soft)
    {
        if (soft > nrOpen())
            return "RLIMIT_NOFILE " + std::to_string(soft) + " is above /proc/sys/fs/nr_open (" +
                   std::to_string(nrOpen()) + ")";
        rlimit want = saved_;
        want.rlim_cur = soft;
        if (want.rlim_max != RLIM_INFINITY && want.rlim_max < soft) want.rlim_max = soft;
        if (setrlimit(RLIMIT_NOFILE, &want) == 0) return {};
        const int err = errno;
        std::string why =
            "setrlimit(RLIMIT_NOFILE, " + std::to_string(soft) + "): " + errnoName(err);
        if (err == EPERM)
            why += " (raising the hard limit " + std::to_string(saved_.rlim_max) +
                   " needs CAP_SYS_RESOURCE, which this process does not have)";
        return why;
    }

    // As set(), but a soft limit above an unraisable hard limit becomes the
    // hard limit; `used` says which was set, `why` why it is not `soft`.
    bool setOrClamp(rlim_t soft, rlim_t &used, std::string &why)
    {
        used = soft;
        why = set(soft);
        if (why.empty()) return true;
        if (saved_.rlim_max == RLIM_INFINITY || soft <= saved_.rlim_max) return false;
        used = saved_.rlim_max;
        return set(used).empty();
    }

private:
    rlimit saved_{};
};

// Inheritable copies of /dev/null, so the child really has them to close.
class ExtraFds
{
public:
    ~ExtraFds()
    {
        for (int fd : fds_)
            close(fd);
    }
    std::string growTo(long long openTotal)
    {
        if (source_ < 0) source_ = open("/dev/null", O_RDONLY);
        if (source_ < 0) return "open(\"/dev/null\"): " + errnoName(errno);
        if (fds_.empty()) fds_.push_back(source_);
        for (long long count = countOpenFds(); count < openTotal; ++count) {
            const int fd = dup(source_);
            if (fd < 0) return "dup (fd " + std::to_string(count) + "): " + errnoName(errno);
            fds_.push_back(fd);
        }
        return {};
    }

private:
    int source_ = -1;
    std::vector<int> fds_;
};

struct Series {
    Series(const CloseFdsConfig &c, Outcome &o) : config(c), out(o) {}

    const CloseFdsConfig &config;
    Outcome &out;
    std::vector<std::unique_ptr<Sampler>> samplers; // one per method
    int done = 0, total = 0;
    NofileGuard limit;
    rlim_t used = 0; // the soft limit set now

    void note(const std::string &text)
    {
        out.notes.push_back(text);
        if (config.onNote) config.onNote(text);
    }

    // `cells` fd states not measured: they leave the total.
    void skip(const std::string &text, std::size_t cells)
    {
        note(text);
        total -= int(cells * config.methods.size());
    }

    // One cell per method at the current fd state; false on cancel.
    bool measure(const std::string &axis)
    {
        Point base;
        base.series = "close_fds";
        base.strategy = config.strategy;
        base.axis = axis;
        base.rssKbMeasured = residentKb();
        base.anonHugeKb = anonHugeKb();
        base.openFds = countOpenFds();
        rlimit nofile{};
        getrlimit(RLIMIT_NOFILE, &nofile);
        base.nofile = nofile.rlim_cur == RLIM_INFINITY ? -1 : (long long)nofile.rlim_cur;
        for (std::size_t m = 0; m < samplers.size(); ++m) {
            CellSamples cell;
            if (!sample(*samplers[m], cell)) return false;
            base.closeMethod = config.methods[m];
            if (cell.roundTrip.empty())
                out.notes.push_back(config.methods[m] + " at " + axis + " " +
                                    std::to_string(axis == "nofile" ? base.nofile : base.openFds) +
                                    ": every sample failed: " + cell.firstError);
            std::vector<Point> points = cellPoints(base, cell);
            out.points.insert(out.points.end(), points.begin(), points.end());
            if (config.onPoints) config.onPoints(points, ++done, total);
            if (config.onProgress) config.onProgress(done, total);
        }
        return true;
    }

    // Warm-up and samples, each within the cell's time budget; false on cancel.
    bool sample(Sampler &sampler, CellSamples &cell) const
    {
        const auto budget = std::chrono::duration<double>(config.maxSecondsPerCell);
        const auto start = Clock::now();
        for (int w = 0; w < std::max(1, config.warmup); ++w) {
            if (cancelled(config.cancel)) return false;
            sampler.take();
            if (config.maxSecondsPerCell > 0 && Clock::now() - start > budget / 4) break;
        }
        const auto sampling = Clock::now();
        for (int i = 0; i < config.runs; ++i) {
            if (cancelled(config.cancel)) return false;
            cell.add(sampler.take());
            if (i >= 2 && config.maxSecondsPerCell > 0 && Clock::now() - sampling > budget) break;
        }
        return true;
    }

    // The open_fds axis, sorted, under one soft limit high enough for the
    // most fds; false on cancel.
    bool walkOpenFds(const std::vector<long long> &openFds)
    {
        if (openFds.empty()) return true;
        std::string why;
        const rlim_t needed = rlim_t(std::max(openFds.back() + 64, 1024LL));
        if (!limit.setOrClamp(needed, used, why)) {
            skip("open_fds axis skipped: " + why, openFds.size());
            return true;
        }
        if (used != needed)
            note("open_fds axis at RLIMIT_NOFILE " + std::to_string(used) + ": " + why);
        ExtraFds extra;
        for (std::size_t i = 0; i < openFds.size(); ++i) {
            const long long n = openFds[i];
            if (const long long now = countOpenFds(); now > n) {
                skip("open_fds " + std::to_string(n) + " skipped: this process already has " +
                         std::to_string(now) + " fds open",
                     1);
                continue;
            }
            if (rlim_t(n) + 16 > used) {
                skip("open_fds " + std::to_string(n) + " and above skipped: RLIMIT_NOFILE is " +
                         std::to_string(used),
                     openFds.size() - i);
                return true;
            }
            if (std::string failed = extra.growTo(n); !failed.empty()) {
                skip("open_fds " + std::to_string(n) + " and above skipped: " + failed,
                     openFds.size() - i);
                return true;
            }
            if (!measure("open_fds")) return false;
        }
        return true;
    }

    // The nofile axis, sorted, with only the fds this process has; false on cancel.
    bool walkNofile(const std::vector<long long> &nofile)
    {
        std::vector<rlim_t> measured;
        std::string why;
        for (const long long soft : nofile) {
            if (!limit.setOrClamp(rlim_t(soft), used, why)) {
                skip("nofile " + std::to_string(soft) + " skipped: " + why, 1);
                continue;
            }
            if (used != rlim_t(soft))
                note("nofile " + std::to_string(soft) + " measured at the hard limit " +
                     std::to_string(used) + " instead: " + why);
            if (std::find(measured.begin(), measured.end(), used) != measured.end()) {
                skip("nofile " + std::to_string(soft) + ": already measured at " +
                         std::to_string(used),
                     1);
                continue;
            }
            measured.push_back(used);
            if (!measure("nofile")) return false;
        }
        return true;
    }
};

} // namespace

Outcome runCloseFdsSeries(const CloseFdsConfig &config)
{
    Outcome out;
    const std::string target = resolveTarget(config.target, out.error);
    if (!out.error.empty()) return out;
    const auto strategy = parseStrategy(config.strategy);
    if (!strategy || (*strategy != Strategy::Fork && *strategy != Strategy::Vfork &&
                      *strategy != Strategy::CloneVm)) {
        out.error = "the close_fds series needs fork, vfork or clone_vm (posix_spawn and the raw "
                    "baselines have no close_method), not \"" +
                    config.strategy + "\"";
        return out;
    }
    Series series(config, out);
    for (const auto &name : config.methods) {
        const auto method = parseCloseMethod(name);
        if (!method || *method == CloseMethod::Auto) {
            out.error = "unknown close method \"" + name + "\" (close_range, proc or brute)";
            return out;
        }
        series.samplers.push_back(makeSampler(config.strategy, target, *method));
    }
    std::vector<long long> openFds = config.openFds, nofile = config.nofile;
    std::sort(openFds.begin(), openFds.end());
    std::sort(nofile.begin(), nofile.end());
    series.total = int((openFds.size() + nofile.size()) * config.methods.size());
    out.cancelled = !series.walkOpenFds(openFds) || !series.walkNofile(nofile);
    return out;
}

} // namespace spawnlab::bench
