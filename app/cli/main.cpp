// spawnlab-cli: runs plan files and prints fd tables without a GUI
// (DESIGN.md "Plan file and CLI — the contract"). Exit codes: 0 success,
// 1 the run or the lookup failed, 2 the command line or the plan is wrong.
#include "bench_command.h"
#include "fdtext.h"
#include "planfile.h"
#include "resultjson.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <charconv>
#include <climits>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace {

using Args = std::span<char *const>;

constexpr int exitFailed = 1;
constexpr int exitUsage = 2;

const char usageText[] =
    "usage: spawnlab-cli COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  run PLAN.json      run a spawn plan and print the result as JSON\n"
    "                     (exit 0: exec succeeded, 1: a step failed, 2: bad plan, nothing ran)\n"
    "  fds PID [--json]   print the fd table of process PID, read from /proc/PID/fd\n"
    "  bench [OPTIONS]    spawn latency against the parent's RSS (or close_fds cost);\n"
    "                     see bench --help\n"
    "  -h, --help         show this help\n"
    "  --version          show the version\n";

const char runUsage[] =
    "usage: spawnlab-cli run PLAN.json\n"
    "\n"
    "Runs a spawn plan and prints one JSON result: pid, strategy and why, exec_ok, the failing\n"
    "step (error), exit, captured output, fd tables, the child's steps and timings.\n"
    "Exit 0: exec succeeded; 1: a child step failed; 2: the plan file is wrong (nothing ran).\n"
    "See man spawnlab-cli for the plan format.\n";

const char fdsUsage[] =
    "usage: spawnlab-cli fds PID [--json]\n"
    "\n"
    "Prints the fd table of process PID, read from /proc/PID/fd and fdinfo: fd, kind, target,\n"
    "CLOEXEC, access mode, position, and which fds a child would inherit (leak risk).\n"
    "  --json   the table as JSON\n";

bool isHelp(std::string_view arg)
{
    return arg == "-h" || arg == "--help";
}

int usageError(const std::string &message)
{
    std::fprintf(stderr, "spawnlab-cli: %s\n\n%s", message.c_str(), usageText);
    return exitUsage;
}

void print(std::FILE *to, const QByteArray &text)
{
    std::fwrite(text.constData(), 1, size_t(text.size()), to);
    std::fflush(to);
}

// "PLAN.json: field: message", or "PLAN.json: message" for the file as a whole.
void report(const char *file, const char *kind, const QString &field, const QString &message)
{
    QByteArray line = QByteArray(file) + ": " + kind;
    if (!field.isEmpty()) line += field.toUtf8() + ": ";
    print(stderr, line + message.toUtf8() + '\n');
}

int runCommand(Args args)
{
    if (args.size() == 1 && isHelp(args[0])) {
        print(stdout, runUsage);
        return 0;
    }
    if (args.size() != 1)
        return usageError(args.empty() ? "run: missing the plan file" : "run: too many arguments");
    const char *file = args[0];
    const spawnlab::PlanLoad load = spawnlab::loadPlanFile(QString::fromLocal8Bit(file));
    for (const spawnlab::PlanIssue &w : load.warnings)
        report(file, "warning: ", w.field, w.message);
    for (const spawnlab::PlanIssue &e : load.errors)
        report(file, "", e.field, e.message);
    if (!load.ok()) return exitUsage;

    const auto problems = spawnlab::validate(load.plan);
    for (const spawnlab::PlanProblem &p : problems)
        report(file, "", QString::fromStdString(p.field), QString::fromStdString(p.message));
    if (!problems.empty()) return exitUsage;

    const spawnlab::RunResult result = spawnlab::run(load.plan);
    print(stdout, spawnlab::resultJsonText(result));
    return result.execOk ? 0 : exitFailed;
}

int fdsCommand(Args args)
{
    bool json = false;
    const char *pidText = nullptr;
    for (const char *arg : args) {
        if (isHelp(arg)) {
            print(stdout, fdsUsage);
            return 0;
        }
        if (std::strcmp(arg, "--json") == 0)
            json = true;
        else if (arg[0] == '-' && arg[1] == '-')
            return usageError("fds: unknown option \"" + std::string(arg) + "\"");
        else if (!pidText)
            pidText = arg;
        else
            return usageError("fds: too many arguments");
    }
    if (!pidText) return usageError("fds: missing the process id");

    const std::string_view text(pidText);
    long long pid = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (ec != std::errc() || end != text.data() + text.size() || pid <= 0 || pid > INT_MAX)
        return usageError("fds: \"" + std::string(text) + "\" is not a process id");

    const spawnlab::FdTableRead read = spawnlab::readFdTable(pid_t(pid));
    if (read.err) {
        const std::string where = "/proc/" + std::to_string(pid) + "/fd";
        std::string why = read.err == ENOENT   ? "no such process"
                          : read.err == EACCES ? "permission denied (another user's process?)"
                                               : std::strerror(read.err);
        std::fprintf(stderr, "spawnlab-cli: fds: cannot read %s: %s (%s)\n", where.c_str(),
                     why.c_str(), spawnlab::errnoName(read.err).c_str());
        return exitFailed;
    }
    if (json)
        print(stdout, spawnlab::fdTableJsonText(read.table));
    else
        print(stdout, QByteArray::fromStdString(spawnlab::fdTableText(read.table)));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const Args args(argv + 1, size_t(argc > 0 ? argc - 1 : 0));
    if (args.empty()) return usageError("missing a command");
    const std::string_view command(args[0]);
    if (isHelp(command)) {
        print(stdout, usageText);
        return 0;
    }
    if (command == "--version") {
        print(stdout, "spawnlab-cli " SPAWNLAB_VERSION "\n");
        return 0;
    }
    if (command == "run") return runCommand(args.subspan(1));
    if (command == "fds") return fdsCommand(args.subspan(1));
    if (command == "bench") return benchCommand(args.subspan(1));
    if (command.starts_with('-'))
        return usageError("unknown option \"" + std::string(command) + "\"");
    return usageError("unknown command \"" + std::string(command) + "\"");
}
