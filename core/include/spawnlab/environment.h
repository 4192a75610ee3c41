// SPDX-License-Identifier: GPL-3.0-or-later
// The rules for the child's environment and for finding its program, written
// once: run() applies them to this process's environ on every spawn, and the
// GUI's editor applies them to preview what the child will see.
#pragma once

#include "spawnlab/plan.h"

#include <string>
#include <string_view>
#include <vector>

namespace spawnlab {

// Whether the parent's "K=V" `entry` passes to the child: the plan inherits,
// and K is neither unset nor set by it (the plan's own `set` entries follow
// the inherited ones).
bool inheritsVariable(const EnvSpec &env, std::string_view entry);

// The paths execve tries, in order: `executable` itself if it contains a
// '/', else each entry of the *child's* PATH (CPython's rule; an empty entry
// means the current directory). `childPath` is that PATH's value, or nullptr
// when the child has none: then /bin:/usr/bin, as execvp and os.defpath use.
std::vector<std::string> execCandidates(const std::string &executable, const char *childPath);

} // namespace spawnlab
