// SPDX-License-Identifier: GPL-3.0-or-later
// Tooltip text for each plan option: what it does in the child, and which
// real API offers the same (CPython subprocess, Go exec/SysProcAttr,
// posix_spawn). Kept apart from the widgets so every editor (and a test) uses
// the same words.
#pragma once

#include <QString>

namespace spawnlab {

// `key` is a plan-file key ("close_fds", "fds.dup", "signals.block"); empty for
// unknown keys.
QString optionHelp(const QString &key);

} // namespace spawnlab
