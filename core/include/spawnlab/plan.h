// SPDX-License-Identifier: GPL-3.0-or-later
// SpawnPlan: what the user asked for, as a plain value (parent side, may allocate).
// The field names mirror the plan-file keys of DESIGN.md.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace spawnlab {

enum class FdActionKind { Dup, Open, Close, Null, PipeOut, PipeIn };

struct FdAction {
    int fd = -1; // the child's fd number
    FdActionKind action = FdActionKind::Null;
    int from = -1;      // Dup: the parent's fd
    std::string path;   // Open
    int flags = 0;      // Open: O_* bits (access mode included)
    mode_t mode = 0644; // Open with O_CREAT/O_TMPFILE
    std::string input;  // PipeIn: what the parent writes
};

enum class CloseMethod { Auto, CloseRange, Proc, Brute };
enum class Strategy { Auto, Fork, Vfork, CloneVm, PosixSpawn };
// EveryStep: the table after every fd step (each open, dup2, close, inherit,
// the fd shuffle's moves, close_fds), and before the first.
enum class InspectPoint { BeforeCloseFds, AfterCloseFds, AfterExec, EveryStep };

// Every value of the enums above, in declaration order: for menus and loops,
// so none of them counts the values by hand.
inline constexpr FdActionKind kFdActionKinds[] = {FdActionKind::Dup,     FdActionKind::Open,
                                                  FdActionKind::Close,   FdActionKind::Null,
                                                  FdActionKind::PipeOut, FdActionKind::PipeIn};
inline constexpr CloseMethod kCloseMethods[] = {CloseMethod::Auto, CloseMethod::CloseRange,
                                                CloseMethod::Proc, CloseMethod::Brute};
inline constexpr Strategy kStrategies[] = {Strategy::Auto, Strategy::Fork, Strategy::Vfork,
                                           Strategy::CloneVm, Strategy::PosixSpawn};
inline constexpr InspectPoint kInspectPoints[] = {InspectPoint::BeforeCloseFds,
                                                  InspectPoint::AfterCloseFds,
                                                  InspectPoint::AfterExec, InspectPoint::EveryStep};

struct EnvSpec {
    bool inherit = true;
    std::vector<std::pair<std::string, std::string>> set;
    std::vector<std::string> unset;
};

struct SignalSpec {
    std::optional<std::vector<int>> block; // absent: the child keeps the parent's mask
    std::vector<int> setDefault;
    std::vector<int> ignore;
    bool resetHandlers = true;
};

struct Credentials {
    std::optional<uid_t> uid;
    std::optional<gid_t> gid;
    std::optional<std::vector<gid_t>> groups;
};

struct RlimitSetting {
    int resource = 0; // RLIMIT_*
    rlim_t soft = 0;
    rlim_t hard = 0;
};

inline constexpr std::uint64_t kDefaultCaptureLimitBytes = 16u << 20;
// The largest integer a JSON number holds exactly (2^53 - 1).
inline constexpr std::uint64_t kMaxCaptureLimitBytes = (std::uint64_t(1) << 53) - 1;

struct SpawnPlan {
    std::vector<std::string> argv;
    std::string executable; // empty: argv[0]
    EnvSpec env;
    std::string cwd; // empty: the parent's
    std::optional<mode_t> umask;
    std::vector<FdAction> fds;
    bool closeFds = true;
    std::vector<int> passFds;
    CloseMethod closeMethod = CloseMethod::Auto;
    SignalSpec signals;
    bool setsid = false;
    std::optional<pid_t> pgid;
    std::optional<Credentials> credentials;
    std::vector<RlimitSetting> rlimits;
    Strategy strategy = Strategy::Auto;
    std::vector<InspectPoint> inspect;
    int timeoutMs = 0; // 0: no timeout
    // Per pipe_out fd: bytes beyond this are read and counted, not kept.
    std::uint64_t captureLimitBytes = kDefaultCaptureLimitBytes;
    // Free text kept with the plan: what plan-from could not re-create.
    std::vector<std::string> notes;
};

// One problem with a plan: the field path as in the plan file ("fds[3].from")
// and a sentence that says why.
struct PlanProblem {
    std::string field;
    std::string message;
};

// The child fds the plan hands over on purpose: pass_fds and every fds[]
// target (what a leak check leaves out).
std::vector<int> handedOverFds(const SpawnPlan &plan);

// Every problem of the plan, checked against this process (open fds, limits).
// Empty means the plan can run.
std::vector<PlanProblem> validate(const SpawnPlan &plan);

} // namespace spawnlab
