// After exec: feed pipe_in, drain pipe_out, wait for the child with the plan's
// timeout, and reap it.
#pragma once

#include "prepare.h"

#include "spawnlab/result.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace spawnlab::detail {

class ChildWaiter
{
public:
    // deadlineNs: CLOCK_MONOTONIC time to kill the child at; 0 for none.
    ChildWaiter(pid_t pid, std::int64_t deadlineNs);
    ~ChildWaiter();
    ChildWaiter(const ChildWaiter &) = delete;
    ChildWaiter &operator=(const ChildWaiter &) = delete;

    // Writes every pipe_in's input and closes it; reads every pipe_out until
    // EOF, or until the child has exited and nothing more is ready (a
    // grandchild may keep the pipe open), or the deadline passes.
    // `onOutput`, if set, sees each chunk as it is read.
    void communicate(std::vector<ParentPipe> &pipes, std::map<int, std::string> &captured,
                     const std::function<void(int, std::string_view)> &onOutput);

    // Waits (up to the deadline, then SIGKILL) and reaps. Always reaps.
    ExitStatus reap();

private:
    int remainingMs() const; // -1: no deadline
    void openPidfd();
    void killNow();

    pid_t pid_;
    int pidfd_ = -1;
    std::int64_t deadlineNs_;
    bool timedOut_ = false;
};

// After exec: communicate, reap, and fill in result.exit and timings.waitUs
// (measured from execNs).
void finishChild(pid_t pid, std::vector<ParentPipe> &pipes, std::int64_t deadlineNs,
                 std::int64_t execNs, const std::function<void(int, std::string_view)> &onOutput,
                 RunResult &result);

} // namespace spawnlab::detail
