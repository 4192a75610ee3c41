// SPDX-License-Identifier: GPL-3.0-or-later
// The spellings used in plan files, results and messages, in one place.
// Each *Name returns "" for an unknown value; each parse* returns nullopt for an
// unknown spelling.
#pragma once

#include "spawnlab/plan.h"
#include "spawnlab/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spawnlab {

std::string_view strategyName(Strategy s);
std::optional<Strategy> parseStrategy(std::string_view name);

std::string_view fdActionName(FdActionKind a);
std::optional<FdActionKind> parseFdAction(std::string_view name);

std::string_view closeMethodName(CloseMethod m);
std::optional<CloseMethod> parseCloseMethod(std::string_view name);

std::string_view inspectPointName(InspectPoint p);
std::optional<InspectPoint> parseInspectPoint(std::string_view name);

std::string_view stepName(Step s);

// "SIGINT" <-> 2; also accepts "INT" and "SIGRTMIN+3".
std::string signalName(int sig);
std::optional<int> parseSignal(std::string_view name);
std::string_view signalDescription(int sig);

// "exited 3", "killed by SIGKILL", "killed by SIGKILL (timed out)", or the
// reason the status is unknown.
std::string exitStatusText(const ExitStatus &exit);

// "nofile" <-> RLIMIT_NOFILE, the prlimit(1) spellings.
std::string_view rlimitName(int resource);
std::optional<int> parseRlimit(std::string_view name);
std::vector<int> allRlimits();

// "O_WRONLY" <-> O_WRONLY; openFlagNames splits flags into such names.
std::optional<int> parseOpenFlag(std::string_view name);
std::vector<std::string> openFlagNames(int flags);

// "ENOENT" for 2; "E?" style "errno 4242" for unknown numbers.
std::string errnoName(int err);

} // namespace spawnlab
