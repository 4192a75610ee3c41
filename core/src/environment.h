// The child's environment and where its executable is, both worked out in the
// parent (the child must not allocate or read its environment).
#pragma once

#include "spawnlab/plan.h"

#include <string>
#include <vector>

namespace spawnlab::detail {

// "K=V" entries: the parent's environment if inherited, minus `unset`, plus `set`.
std::vector<std::string> childEnvironment(const EnvSpec &env);

// The paths execve tries in order: the executable itself if it names a
// directory, else each entry of the *child's* PATH (CPython's rule; an empty
// entry means the current directory).
std::vector<std::string> execCandidates(const std::string &executable,
                                        const std::vector<std::string> &childEnv);

// The value of NAME in "K=V" entries, or nullptr.
const char *findVariable(const std::vector<std::string> &env, const std::string &name);

} // namespace spawnlab::detail
