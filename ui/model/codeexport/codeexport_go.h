// SPDX-License-Identifier: GPL-3.0-or-later
// The Go exporter's parts: the program being assembled, literals, and main()
// (codeexport_go_program.cpp).
#pragma once

#include "codeexport/codeexport_common.h"

#include <set>

namespace spawnlab::codeexport {

struct GoProgram {
    std::set<QString> imports{QStringLiteral("errors"), QStringLiteral("fmt"), QStringLiteral("os"),
                              QStringLiteral("os/exec")};
    QStringList notes;
    Code setup{QStringLiteral("// "), QStringLiteral("\t")};
    Code cmd{QStringLiteral("// "), QStringLiteral("\t")};
    Code around{QStringLiteral("// "), QStringLiteral("\t")};  // just before Start
    Code restore{QStringLiteral("// "), QStringLiteral("\t")}; // just after it
    Code afterStart{QStringLiteral("// "), QStringLiteral("\t")};
    QMap<int, QString> extraFiles; // child fd >= 3 -> *os.File expression
    QStringList attributes;        // SysProcAttr fields "Key: value"
    QMap<int, QString> captured;   // child fd -> []byte expression after Wait
};

QString goString(const std::string &s); // as strconv.Quote writes it
QString assembleGo(const SpawnPlan &plan, GoProgram &g);

} // namespace spawnlab::codeexport
