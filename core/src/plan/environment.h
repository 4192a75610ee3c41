// SPDX-License-Identifier: GPL-3.0-or-later
// The child's environment, worked out in the parent (the child must not
// allocate or read its environment) by the rules of spawnlab/environment.h.
#pragma once

#include "spawnlab/environment.h"
#include "spawnlab/plan.h"

#include <string>
#include <string_view>
#include <vector>

namespace spawnlab::detail {

// The child's "K=V" entries, no terminating nullptr: the parent's environment
// if inherited, minus `unset`, plus `set`. Inherited entries point at the
// parent's own strings rather than copies (this runs on every spawn, and glibc
// never frees an environment string); the ones from `set` live in `storage`.
std::vector<char *> childEnvironment(const EnvSpec &env, std::vector<std::string> &storage);

// The value of NAME in "K=V" entries, or nullptr.
const char *findVariable(char *const *env, std::string_view name); // env: null-terminated

} // namespace spawnlab::detail
