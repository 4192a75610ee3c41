// SPDX-License-Identifier: GPL-3.0-or-later
#include "command_line.h"

#include "qs.h"

#include "output.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <string_view>

using spawnlab::qs;

namespace cli {
namespace {

// QCommandLineParser reports unknown options without their dashes; in its
// default mode (compacted short options) only a long option has a longer name.
std::string dashed(const QString &name)
{
    return (name.size() == 1 ? "-" : "--") + name.toStdString();
}

const QCommandLineOption *findOption(const QList<QCommandLineOption> &options, QStringView arg)
{
    const QStringView name = arg.startsWith(u"--") ? arg.mid(2) : arg.mid(1);
    for (const QCommandLineOption &option : options)
        if (option.names().contains(name)) return &option;
    return nullptr;
}

// The sentence for a failed parse() that was not an unknown option: Qt's own
// text is "Missing value after '--runs'." and is not in the CLI's words.
std::string whyRejected(const QCommandLineParser &parser, const QList<QCommandLineOption> &options,
                        const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        if (arg == u"--") break;
        if (!arg.startsWith(u'-') || arg.size() < 2) continue;
        const qsizetype eq = arg.indexOf(u'=');
        const QCommandLineOption *option = findOption(options, QStringView(arg).left(eq));
        if (!option) continue;
        const std::string name = arg.left(eq).toStdString();
        if (option->valueName().isEmpty() && eq >= 0) return name + ": takes no value";
        if (!option->valueName().isEmpty() && eq < 0 && i + 1 == arguments.size())
            return name + ": missing a value";
    }
    return parser.errorText().toStdString();
}

} // namespace

QStringList argumentList(const QString &program, std::span<char *const> args)
{
    QStringList list{program};
    for (const char *arg : args)
        list.append(QString::fromLocal8Bit(arg));
    return list;
}

void parseArguments(QCommandLineParser &parser, const QList<QCommandLineOption> &options,
                    const QStringList &arguments)
{
    parser.addOptions(options);
    if (parser.parse(arguments)) return;
    if (!parser.unknownOptionNames().isEmpty())
        throw UsageError{"unknown option \"" + dashed(parser.unknownOptionNames().front()) + "\""};
    throw UsageError{whyRejected(parser, options, arguments)};
}

std::string optionsHelp(const QList<QCommandLineOption> &options)
{
    constexpr std::size_t column = 28;
    std::string help;
    for (const QCommandLineOption &option : options) {
        std::string names;
        for (const QString &name : option.names())
            names += (names.empty() ? "" : ", ") + dashed(name);
        if (!option.valueName().isEmpty()) {
            names += ' '; // appended apart: GCC 12 -O2 warns falsely (-Wrestrict) on " " + ...
            names += option.valueName().toStdString();
        }
        std::string line = "  " + names;
        line.resize(std::max(column, line.size() + 2), ' ');
        const QStringList parts = option.description().split(u'\n');
        help += line + parts.front().toStdString() + "\n";
        for (qsizetype i = 1; i < parts.size(); ++i)
            help += std::string(column, ' ') + parts[i].toStdString() + "\n";
    }
    return help;
}

QCommandLineOption helpOption()
{
    return {{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("show this help")};
}

bool parseCommand(QCommandLineParser &parser, const Command &command, std::span<char *const> args)
{
    parseArguments(parser, command.options, argumentList(qs("spawnlab-cli " + command.name), args));
    if (!parser.isSet(QStringLiteral("help"))) return false;
    writeOut(command.help());
    return true;
}

int usageFailure(const Command &command, const UsageError &error)
{
    writeErr("spawnlab-cli: " + command.name + ": " + error.message + "\n\n" + command.help());
    return exitUsage;
}

QString onlyArgument(const QCommandLineParser &parser, const std::string &missing)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) throw UsageError{missing};
    if (positional.size() > 1) throw UsageError{"too many arguments"};
    return positional.front();
}

long long wholeNumber(const std::string &option, const QString &text, long long min, long long max)
{
    const std::string digits = text.toStdString();
    long long value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value < min || value > max)
        throw UsageError{option + ": \"" + digits + "\" is not a whole number from " +
                         std::to_string(min) + " to " + std::to_string(max)};
    return value;
}

std::vector<std::string> splitList(const std::string &option, const QString &text)
{
    std::vector<std::string> items;
    for (const QString &item : text.split(u',')) {
        if (item.isEmpty())
            throw UsageError{option + ": empty item in \"" + text.toStdString() + "\""};
        items.push_back(item.toStdString());
    }
    return items;
}

std::string oneOf(const std::string &option, const std::string &value,
                  const std::vector<std::string> &allowed)
{
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
    std::string list;
    for (const auto &a : allowed)
        list += (list.empty() ? "" : ", ") + a;
    throw UsageError{option + ": \"" + value + "\" is not one of " + list};
}

// QCommandLineParser would take "-5" for short options; it is a (bad) pid.
void refuseNegativePid(std::span<char *const> args)
{
    for (std::string_view arg : args) {
        if (arg == "--") return;
        if (arg.size() > 1 && arg[0] == '-' &&
            arg.find_first_not_of("0123456789", 1) == std::string_view::npos)
            throw UsageError{"\"" + std::string(arg) + "\" is not a process id"};
    }
}

pid_t parsePid(const QString &text)
{
    try {
        return pid_t(wholeNumber("PID", text, 1, INT_MAX));
    } catch (const UsageError &) {
        throw UsageError{"\"" + text.toStdString() + "\" is not a process id"};
    }
}

pid_t parsePidCommand(QCommandLineParser &parser, const Command &command,
                      std::span<char *const> args, int &exitCode)
{
    try {
        refuseNegativePid(args);
        exitCode = 0;
        if (parseCommand(parser, command, args)) return 0;
        return parsePid(onlyArgument(parser, "missing the process id"));
    } catch (const UsageError &e) {
        exitCode = usageFailure(command, e);
        return 0;
    }
}

} // namespace cli
