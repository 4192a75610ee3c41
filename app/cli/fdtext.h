// An fd table as lsof-like text for `spawnlab-cli fds PID`.
#pragma once

#include "spawnlab/procfs.h"

#include <string>

namespace spawnlab {

// Columns FD, MODE (r, w, rw or path, then ",cloexec" when set), TYPE, NODE, NAME;
// then, after a blank line, one "fd N may leak, inheritable: ..." line per fd a
// child could inherit by mistake (leakRisk).
std::string fdTableText(const FdTable &table);

} // namespace spawnlab
