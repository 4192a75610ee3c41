// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli's commands parse with QCommandLineParser; this adds what it
// lacks: messages in the CLI's words that name the option, help built from the
// same option list, and whole numbers checked against a range.
#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QStringList>

#include <sys/types.h>

#include <span>
#include <string>
#include <vector>

namespace cli {

// A bad command line: the sentence (`--runs: "0" is not a whole number from
// 1 to 1000000`); the command prints it with its usage and exits 2.
struct UsageError {
    std::string message;
};

// What parse() expects: a program name ("spawnlab-cli run"), then the arguments.
QStringList argumentList(const QString &program, std::span<char *const> args);

// Adds `options` and parses; throws UsageError naming the option on an unknown
// one (`unknown option "--jsn"`), a missing value or a value given to a flag.
void parseArguments(QCommandLineParser &parser, const QList<QCommandLineOption> &options,
                    const QStringList &arguments);

// "  --runs N                  samples per point ..." for each option, the
// descriptions aligned; a '\n' in a description continues it on the next line.
std::string optionsHelp(const QList<QCommandLineOption> &options);

// -h/--help, which every command takes.
QCommandLineOption helpOption();

// One command's command line: its name ("fds"), the text above its options and
// the options (one of them -h/--help).
struct Command {
    std::string name;
    std::string usage;
    QList<QCommandLineOption> options;
    std::string help() const { return usage + optionsHelp(options); }
};

// Parses `args` as `command`'s (parseArguments); true when --help was given,
// after printing the help: the command then returns 0.
bool parseCommand(QCommandLineParser &parser, const Command &command, std::span<char *const> args);

// "spawnlab-cli fds: missing the process id", then the command's help, on
// stderr; returns exitUsage for the command to return.
int usageFailure(const Command &command, const UsageError &error);

// The one positional argument; UsageError `missing` when there is none, and
// "too many arguments" when there are more.
QString onlyArgument(const QCommandLineParser &parser, const std::string &missing);

// `text` as a whole number in [min, max], read in 64 bits so that no value
// wraps into range; else UsageError naming `option`.
long long wholeNumber(const std::string &option, const QString &text, long long min, long long max);

// A comma-separated list: every item non-empty.
std::vector<std::string> splitList(const std::string &option, const QString &text);

// `value` if it is one of `allowed`, else UsageError listing them.
std::string oneOf(const std::string &option, const std::string &value,
                  const std::vector<std::string> &allowed);

// QCommandLineParser would take "-5" for short options: a bad pid, said so.
void refuseNegativePid(std::span<char *const> args);
// A process id (1 to INT_MAX), else UsageError: `"abc" is not a process id`.
pid_t parsePid(const QString &text);

// A command whose one argument is a pid (fds, plan-from): its help, its usage
// errors and the pid. 0 with `exitCode` set when the command is done (0 after
// --help, exitUsage after an error, said on stderr).
pid_t parsePidCommand(QCommandLineParser &parser, const Command &command,
                      std::span<char *const> args, int &exitCode);

} // namespace cli
