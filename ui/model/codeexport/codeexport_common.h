// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the per-language exporters (codeexport_*.cpp): the plan's fds seen
// the way the core arranges them, the spellings every language needs, and a
// small builder for source text.
#pragma once

#include "plan/capturedtext.h"
#include "qs.h"

#include "codeexport/codeexport.h"

#include "spawnlab/fd_shuffle.h"

#include <QMap>
#include <QStringList>

#include <set>
#include <string>
#include <vector>

namespace spawnlab::codeexport {

// Source text built line by line; comments are wrapped to the page.
class Code
{
public:
    explicit Code(QString commentPrefix, QString indentUnit = QStringLiteral("    "));
    void line(const QString &text = {}); // at the current indent; empty: a blank line
    // Each line of `block` (a raw string literal of the generated code, its
    // lines indented relative to one another) as line() would add it.
    void lines(QStringView block);
    void comment(const QString &sentence);
    void indent() { ++m_depth; }
    void dedent() { --m_depth; }
    QString text() const
    {
        return m_lines.isEmpty() ? QString() : m_lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
    }

private:
    QString m_commentPrefix;
    QString m_indentUnit;
    int m_depth = 0;
    QStringList m_lines;
};

// The plan's fd shuffle as the core runs it (planFdShuffle: every source is
// read from the parent's table as it was before any action, so a source that
// another action overwrites is copied out of the way first), with what the
// exporters add. Every exporter walks its `moves` in order (CopyAway, fds[],
// pass_fds); C runs the CopyAway moves as they are, the others copy sources
// as their language needs (Popen, Command and os/exec place fds themselves,
// bash saves a source when a redirection first reads it).
struct FdLayout : FdShuffle {
    // Every fd the plan names (targets, dup sources, pass_fds): a copy the
    // program keeps for later avoids them all, since a source or pass_fds entry
    // that is not open where the program runs would otherwise get the copy.
    std::vector<int> named;
    int spare = 3;                  // the lowest fd >= 3 the plan names nowhere
    std::vector<int> closedSources; // parent fds >= 3 that dups read and close_fds closes
};
FdLayout fdLayout(const SpawnPlan &plan);

// A byte-string literal as Python (b'...') and Rust (b"...") spell it: `open`
// then the bytes, backslash, quote, \n and \t escaped, printable ASCII as it
// is, every other byte as \xHH, then `quote`.
QString asciiBytesLiteral(const std::string &s, const QString &open, QChar quote);
// A "..." literal of UTF-8 text as Go and Rust spell it: backslash, quote, \n
// and \t escaped, other control characters through `control` (Go \xHH, Rust
// \u{H}), everything else as it is.
QString unicodeStringLiteral(const std::string &s, QString (*control)(unsigned));
QString signalText(int sig);                         // "SIGHUP"
QString signalList(const std::vector<int> &signals); // "SIGHUP, SIGINT"
QString rlimitText(int resource);               // "nofile", as prlimit(1) and plan files say it
QString rlimitConstant(int resource);           // "RLIMIT_NOFILE"
QStringList openFlagList(int flags);            // {"O_WRONLY", "O_CREAT"}
QString describe(const FdAction &a, int index); // "fds[1]: dup fd 3 to fd 5"

std::string programOf(const SpawnPlan &plan); // executable, else argv[0]
bool searchesPath(const SpawnPlan &plan);     // the program has no '/'
bool childPathDiffers(const EnvSpec &env);    // the child's PATH may not be this process's
// Where the child would open `path`: relative paths are relative to the plan's cwd.
std::string childRelativePath(const SpawnPlan &plan, const std::string &path);

std::vector<const FdAction *> pipeOuts(const SpawnPlan &plan);
bool hasSignalChanges(const SpawnPlan &plan);

// Sentences about what only spawnlab has (strategy, stop points, close_method);
// `creator` says how the language creates children, e.g. "subprocess picks
// vfork or fork itself".
QStringList spawnlabOnly(const SpawnPlan &plan, const QString &creator);

QString exportPython(const SpawnPlan &plan);
QString exportGo(const SpawnPlan &plan);
QString exportC(const SpawnPlan &plan);
QString exportRust(const SpawnPlan &plan);
QString exportShell(const SpawnPlan &plan);

} // namespace spawnlab::codeexport
