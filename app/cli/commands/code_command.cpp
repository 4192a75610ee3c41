// SPDX-License-Identifier: GPL-3.0-or-later
#include "code_command.h"

#include "codeexport/codeexport.h"
#include "command_line.h"
#include "explain/explaintext.h"
#include "output.h"
#include "plan_input.h"

#include <functional>
#include <optional>

namespace {

using namespace cli;

const char codeUsage[] =
    "usage: spawnlab-cli code --lang python|go|c|rust|sh PLAN.json|-\n"
    "\n"
    "Prints the plan as the program a person would write: Python's subprocess, Go's os/exec,\n"
    "C with posix_spawn, Rust's std::process, or a bash command line (the Lab's Code tab).\n"
    "What the language cannot express is said in a comment, never guessed.\n"
    "\n";

const char explainUsage[] =
    "usage: spawnlab-cli explain PLAN.json|-\n"
    "\n"
    "Prints what the Lab's Explain tab shows: the strategy the plan will use and why, how\n"
    "the kernel creates the child, and each step the child runs, in its order.\n"
    "\n";

struct Languages {
    const char *key;
    spawnlab::CodeLanguage lang;
};
constexpr Languages kLanguages[] = {{"python", spawnlab::CodeLanguage::Python},
                                    {"go", spawnlab::CodeLanguage::Go},
                                    {"c", spawnlab::CodeLanguage::C},
                                    {"rust", spawnlab::CodeLanguage::Rust},
                                    {"sh", spawnlab::CodeLanguage::Shell}};

spawnlab::CodeLanguage language(const std::string &key)
{
    std::vector<std::string> keys;
    for (const Languages &l : kLanguages) {
        if (key == l.key) return l.lang;
        keys.emplace_back(l.key);
    }
    oneOf("--lang", key, keys); // throws
    return spawnlab::CodeLanguage::Python;
}

// The one plan file (or -) a command takes.
QString planArgument(const QCommandLineParser &parser)
{
    const QStringList words = parser.positionalArguments();
    if (words.isEmpty()) throw UsageError{"missing the plan file (or - for stdin)"};
    if (words.size() > 1) throw UsageError{"too many arguments"};
    return words.front();
}

using Render = std::function<QString(const spawnlab::SpawnPlan &)>;

// Parses, checks the options (`renderer` throws UsageError), then loads the
// plan and prints what the renderer makes of it; `usage` with --help.
int printPlan(std::span<char *const> args, const char *command, const char *usage,
              QList<QCommandLineOption> options,
              const std::function<Render(const QCommandLineParser &)> &renderer)
{
    const QCommandLineOption help = helpOption();
    const Command spec{command, usage, options << help};
    QCommandLineParser parser;
    try {
        if (parseCommand(parser, spec, args)) return 0;
        const Render render = renderer(parser);
        const QString file = planArgument(parser);
        const std::optional<spawnlab::SpawnPlan> plan = readPlan(file);
        if (!plan) return exitUsage;
        writeOut(render(*plan).toStdString());
        return 0;
    } catch (const UsageError &e) {
        return usageFailure(spec, e);
    }
}

} // namespace

int codeCommand(std::span<char *const> args)
{
    const QCommandLineOption lang{QStringLiteral("lang"),
                                  QStringLiteral("python, go, c, rust or sh (required)"),
                                  QStringLiteral("L")};
    return printPlan(args, "code", codeUsage, {lang}, [&lang](const QCommandLineParser &parser) {
        if (!parser.isSet(lang)) throw UsageError{"missing --lang"};
        const spawnlab::CodeLanguage chosen = language(parser.value(lang).toStdString());
        return Render([chosen](const spawnlab::SpawnPlan &plan) {
            return spawnlab::exportPlan(plan, chosen);
        });
    });
}

int explainCommand(std::span<char *const> args)
{
    return printPlan(args, "explain", explainUsage, {}, [](const QCommandLineParser &) {
        return Render([](const spawnlab::SpawnPlan &plan) {
            return spawnlab::explanationText(spawnlab::explainStrategy(plan));
        });
    });
}
