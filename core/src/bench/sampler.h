// SPDX-License-Identifier: GPL-3.0-or-later
// One way to spawn the target, timed: the core's run() with a realistic plan,
// or a raw fork/vfork + execve baseline.
#pragma once

#include "spawnlab/plan.h"

#include <memory>
#include <string>

namespace spawnlab::bench::detail {

struct Sample {
    bool ok = false;
    double roundTripUs = 0;
    double execConfirmedUs = -1; // < 0: the strategy cannot tell
    double spawnReturnedUs = -1; // < 0: not known
    std::string error;           // why the spawn failed, when !ok
};

class Sampler
{
public:
    virtual ~Sampler() = default;
    virtual Sample take() = 0;
};

// `strategy` is one of knownStrategies(); `target` an absolute path. The core
// strategies run the plan stdio -> /dev/null, close_fds with `closeMethod`.
std::unique_ptr<Sampler> makeSampler(const std::string &strategy, const std::string &target,
                                     CloseMethod closeMethod = CloseMethod::Auto);

} // namespace spawnlab::bench::detail
