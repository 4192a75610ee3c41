// SPDX-License-Identifier: GPL-3.0-or-later
// "Show as code": a spawn plan written as the program a person would write with
// Python's subprocess, Go's os/exec, glibc's posix_spawn, Rust's std::process
// or a bash command line. What a language cannot express is said in a comment
// of the generated code, never guessed.
#pragma once

#include "spawnlab/plan.h"

#include <QList>
#include <QString>

namespace spawnlab {

enum class CodeLanguage { Python, Go, C, Rust, Shell };

QList<CodeLanguage> codeLanguages();          // in the order a selector shows them
QString codeLanguageName(CodeLanguage lang);  // "Python (subprocess)", ...
QString codeFileExtension(CodeLanguage lang); // "py", "go", "c", "rs", "sh"

// A complete program (script) that spawns the plan's child the way the plan
// says, waits for it and prints what pipe_out fds captured.
QString exportPlan(const SpawnPlan &plan, CodeLanguage lang);

} // namespace spawnlab
