// SPDX-License-Identifier: GPL-3.0-or-later
#include "spawnlab/names.h"

#include "spelling.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include <array>
#include <charconv>

namespace spawnlab {
namespace {

constexpr std::array<Spelling<Strategy>, 5> strategies{{{Strategy::Auto, "auto"},
                                                        {Strategy::Fork, "fork"},
                                                        {Strategy::Vfork, "vfork"},
                                                        {Strategy::CloneVm, "clone_vm"},
                                                        {Strategy::PosixSpawn, "posix_spawn"}}};

constexpr std::array<Spelling<FdActionKind>, 6> fdActions{{{FdActionKind::Dup, "dup"},
                                                           {FdActionKind::Open, "open"},
                                                           {FdActionKind::Close, "close"},
                                                           {FdActionKind::Null, "null"},
                                                           {FdActionKind::PipeOut, "pipe_out"},
                                                           {FdActionKind::PipeIn, "pipe_in"}}};

constexpr std::array<Spelling<CloseMethod>, 4> closeMethods{
    {{CloseMethod::Auto, "auto"},
     {CloseMethod::CloseRange, "close_range"},
     {CloseMethod::Proc, "proc"},
     {CloseMethod::Brute, "brute"}}};

constexpr std::array<Spelling<InspectPoint>, 4> inspectPoints{
    {{InspectPoint::BeforeCloseFds, "before_close_fds"},
     {InspectPoint::AfterCloseFds, "after_close_fds"},
     {InspectPoint::AfterExec, "after_exec"},
     {InspectPoint::EveryStep, "every_step"}}};

constexpr std::array<Spelling<Step>, 20> steps{
    {{Step::Signals, "signals"},     {Step::Setsid, "setsid"},  {Step::Setpgid, "setpgid"},
     {Step::Chdir, "chdir"},         {Step::Umask, "umask"},    {Step::Open, "open"},
     {Step::Dup2, "dup2"},           {Step::Close, "close"},    {Step::Inherit, "inherit"},
     {Step::CloseFds, "close_fds"},  {Step::Stop, "stop"},      {Step::Rlimit, "rlimit"},
     {Step::Setgroups, "setgroups"}, {Step::Setgid, "setgid"},  {Step::Setuid, "setuid"},
     {Step::Sigmask, "sigmask"},     {Step::Execve, "execve"},  {Step::PosixSpawn, "posix_spawn"},
     {Step::Spawn, "spawn"},         {Step::Seccomp, "seccomp"}}};

struct SignalInfo {
    int sig;
    std::string_view name;
    std::string_view description;
};

constexpr std::array<SignalInfo, 31> signalInfos{{
    {SIGHUP, "SIGHUP", "hangup: the controlling terminal or its session leader went away"},
    {SIGINT, "SIGINT", "interrupt from the keyboard (Ctrl-C)"},
    {SIGQUIT, "SIGQUIT", "quit from the keyboard (Ctrl-\\), with a core dump"},
    {SIGILL, "SIGILL", "illegal instruction"},
    {SIGTRAP, "SIGTRAP", "trace or breakpoint trap"},
    {SIGABRT, "SIGABRT", "abort(3)"},
    {SIGBUS, "SIGBUS", "bus error: bad memory access"},
    {SIGFPE, "SIGFPE", "arithmetic exception"},
    {SIGKILL, "SIGKILL", "kill: cannot be caught, blocked or ignored"},
    {SIGUSR1, "SIGUSR1", "user-defined signal 1"},
    {SIGSEGV, "SIGSEGV", "invalid memory reference"},
    {SIGUSR2, "SIGUSR2", "user-defined signal 2"},
    {SIGPIPE, "SIGPIPE",
     "write to a pipe with no reader (Python ignores it; children want it back)"},
    {SIGALRM, "SIGALRM", "timer signal from alarm(2)"},
    {SIGTERM, "SIGTERM", "polite termination request"},
    {SIGSTKFLT, "SIGSTKFLT", "coprocessor stack fault (unused)"},
    {SIGCHLD, "SIGCHLD", "a child stopped or exited"},
    {SIGCONT, "SIGCONT", "continue if stopped"},
    {SIGSTOP, "SIGSTOP", "stop: cannot be caught, blocked or ignored"},
    {SIGTSTP, "SIGTSTP", "stop typed at the terminal (Ctrl-Z)"},
    {SIGTTIN, "SIGTTIN", "terminal input for a background process"},
    {SIGTTOU, "SIGTTOU", "terminal output for a background process"},
    {SIGURG, "SIGURG", "urgent condition on a socket"},
    {SIGXCPU, "SIGXCPU", "CPU time limit exceeded (RLIMIT_CPU)"},
    {SIGXFSZ, "SIGXFSZ", "file size limit exceeded (RLIMIT_FSIZE)"},
    {SIGVTALRM, "SIGVTALRM", "virtual alarm clock"},
    {SIGPROF, "SIGPROF", "profiling timer expired"},
    {SIGWINCH, "SIGWINCH", "the terminal window was resized"},
    {SIGIO, "SIGIO", "I/O is possible on a descriptor"},
    {SIGPWR, "SIGPWR", "power failure"},
    {SIGSYS, "SIGSYS", "bad system call (seccomp)"},
}};

constexpr std::array<Spelling<int>, 16> rlimits{{{RLIMIT_AS, "as"},
                                                 {RLIMIT_CORE, "core"},
                                                 {RLIMIT_CPU, "cpu"},
                                                 {RLIMIT_DATA, "data"},
                                                 {RLIMIT_FSIZE, "fsize"},
                                                 {RLIMIT_LOCKS, "locks"},
                                                 {RLIMIT_MEMLOCK, "memlock"},
                                                 {RLIMIT_MSGQUEUE, "msgqueue"},
                                                 {RLIMIT_NICE, "nice"},
                                                 {RLIMIT_NOFILE, "nofile"},
                                                 {RLIMIT_NPROC, "nproc"},
                                                 {RLIMIT_RSS, "rss"},
                                                 {RLIMIT_RTPRIO, "rtprio"},
                                                 {RLIMIT_RTTIME, "rttime"},
                                                 {RLIMIT_SIGPENDING, "sigpending"},
                                                 {RLIMIT_STACK, "stack"}}};

// O_RDONLY is 0, so it is named only when no other access mode is set.
constexpr std::array<Spelling<int>, 17> openFlags{{{O_WRONLY, "O_WRONLY"},
                                                   {O_RDWR, "O_RDWR"},
                                                   {O_CREAT, "O_CREAT"},
                                                   {O_EXCL, "O_EXCL"},
                                                   {O_NOCTTY, "O_NOCTTY"},
                                                   {O_TRUNC, "O_TRUNC"},
                                                   {O_APPEND, "O_APPEND"},
                                                   {O_NONBLOCK, "O_NONBLOCK"},
                                                   {O_DSYNC, "O_DSYNC"},
                                                   {O_SYNC, "O_SYNC"},
                                                   {O_DIRECTORY, "O_DIRECTORY"},
                                                   {O_NOFOLLOW, "O_NOFOLLOW"},
                                                   {O_CLOEXEC, "O_CLOEXEC"},
                                                   {O_PATH, "O_PATH"},
                                                   {O_TMPFILE, "O_TMPFILE"},
                                                   {O_NOATIME, "O_NOATIME"},
                                                   {O_DIRECT, "O_DIRECT"}}};

std::optional<int> parseInt(std::string_view text)
{
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

} // namespace

std::string_view strategyName(Strategy s)
{
    return nameOf(strategies, s);
}
std::optional<Strategy> parseStrategy(std::string_view n)
{
    return valueOf(strategies, n);
}
std::string_view fdActionName(FdActionKind a)
{
    return nameOf(fdActions, a);
}
std::optional<FdActionKind> parseFdAction(std::string_view n)
{
    return valueOf(fdActions, n);
}
std::string_view closeMethodName(CloseMethod m)
{
    return nameOf(closeMethods, m);
}
std::optional<CloseMethod> parseCloseMethod(std::string_view n)
{
    return valueOf(closeMethods, n);
}
std::string_view inspectPointName(InspectPoint p)
{
    return nameOf(inspectPoints, p);
}
std::optional<InspectPoint> parseInspectPoint(std::string_view n)
{
    return valueOf(inspectPoints, n);
}
std::string_view stepName(Step s)
{
    return nameOf(steps, s);
}
std::string_view rlimitName(int r)
{
    return nameOf(rlimits, r);
}
std::optional<int> parseRlimit(std::string_view n)
{
    return valueOf(rlimits, n);
}

std::vector<int> allRlimits()
{
    std::vector<int> all;
    for (const auto &r : rlimits)
        all.push_back(r.value);
    return all;
}

std::string exitStatusText(const ExitStatus &exit)
{
    if (!exit.unknown.empty()) return exit.unknown;
    if (exit.exited) return "exited " + std::to_string(exit.code);
    return "killed by " + signalName(exit.signal) + (exit.timedOut ? " (timed out)" : "");
}

std::string signalName(int sig)
{
    for (const auto &s : signalInfos)
        if (s.sig == sig) return std::string(s.name);
    if (sig == SIGRTMIN) return "SIGRTMIN";
    if (sig > SIGRTMIN && sig <= SIGRTMAX) return "SIGRTMIN+" + std::to_string(sig - SIGRTMIN);
    return {};
}

std::optional<int> parseSignal(std::string_view name)
{
    std::string full = name.starts_with("SIG") ? std::string(name) : "SIG" + std::string(name);
    for (const auto &s : signalInfos)
        if (s.name == full) return s.sig;
    // The real-time signals as kill -l and signal(7) name them: SIGRTMIN+N
    // counting up, SIGRTMAX-N counting down.
    std::string_view rest(full);
    const bool fromMin = rest.starts_with("SIGRTMIN"), fromMax = rest.starts_with("SIGRTMAX");
    if (!fromMin && !fromMax) return std::nullopt;
    rest.remove_prefix(8);
    const int base = fromMin ? SIGRTMIN : SIGRTMAX;
    if (rest.empty()) return base;
    if (!rest.starts_with(fromMin ? '+' : '-')) return std::nullopt;
    rest.remove_prefix(1);
    if (rest.empty() || rest.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt; // "SIGRTMIN+-0" is no name
    auto offset = parseInt(rest);
    if (!offset || *offset > SIGRTMAX - SIGRTMIN) return std::nullopt;
    return fromMin ? SIGRTMIN + *offset : SIGRTMAX - *offset;
}

std::string_view signalDescription(int sig)
{
    for (const auto &s : signalInfos)
        if (s.sig == sig) return s.description;
    if (sig >= SIGRTMIN && sig <= SIGRTMAX)
        return "real-time signal: queued, no predefined meaning";
    return {};
}

std::optional<int> parseOpenFlag(std::string_view name)
{
    if (name == "O_RDONLY") return O_RDONLY;
    return valueOf(openFlags, name);
}

std::vector<std::string> openFlagNames(int flags)
{
    std::vector<std::string> names;
    if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_PATH)) names.emplace_back("O_RDONLY");
    int left = flags;
    // O_TMPFILE and O_SYNC include other bits (O_DIRECTORY, O_DSYNC): take them first.
    for (int composite : {O_TMPFILE, O_SYNC}) {
        if ((left & composite) == composite) {
            names.emplace_back(nameOf(openFlags, composite));
            left &= ~composite;
        }
    }
    for (const auto &f : openFlags) {
        if (f.value != O_TMPFILE && f.value != O_SYNC && (left & f.value) == f.value) {
            names.emplace_back(f.name);
            left &= ~f.value;
        }
    }
    return names;
}

std::string errnoName(int err)
{
    if (const char *name = strerrorname_np(err)) return name;
    return "errno " + std::to_string(err);
}

} // namespace spawnlab
