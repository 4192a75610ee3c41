// SPDX-License-Identifier: GPL-3.0-or-later
// Loading plan files: JSON -> SpawnPlan, collecting every problem with its key path.
#include "plan/planfile.h"

#include "qs.h"

#include "plan/jsonreader.h"
#include "spawnlab/names.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

namespace spawnlab {
namespace {

constexpr qint64 maxFd = INT_MAX;
constexpr qint64 maxId = 4294967294; // (uid_t)-1 means "unchanged" to the kernel

QString oneOf(const QStringList &spellings)
{
    return QStringLiteral("expected one of ") + spellings.join(QStringLiteral(", "));
}

// "expected one of ..." for an enum whose values run from 0 until name() is empty.
template <typename E, typename F> QString spellingsOf(F name)
{
    QStringList out;
    for (int i = 0; !name(E(i)).empty(); ++i)
        out << qs(name(E(i)));
    return oneOf(out);
}

QString rlimitSpellings()
{
    QStringList out;
    for (int r : allRlimits())
        out << qs(rlimitName(r));
    out.sort();
    return oneOf(out);
}

// Stores a value that was read correctly; says whether there was one.
template <typename T, typename U> bool set(T &field, const std::optional<U> &value)
{
    if (value) field = T(*value);
    return value.has_value();
}

// The keys of an fds entry besides fd and action, and which action uses each.
QStringList keysOf(FdActionKind action)
{
    switch (action) {
    case FdActionKind::Dup:
        return {"from"};
    case FdActionKind::Open:
        return {"path", "flags", "mode"};
    case FdActionKind::PipeIn:
        return {"input"};
    case FdActionKind::Close:
    case FdActionKind::Null:
    case FdActionKind::PipeOut:
        break;
    }
    return {};
}

class PlanLoader
{
public:
    explicit PlanLoader(PlanLoad &out) : r(out.errors, out.warnings), plan(out.plan) {}

    void load(const QJsonObject &top);

private:
    bool readVersion(const QJsonObject &top);
    void readArgv(const QJsonValue &v, const QString &path);
    void readEnv(const QJsonValue &v, const QString &path);
    std::optional<FdAction> readFd(const QJsonValue &v, const QString &path);
    void readSignals(const QJsonValue &v, const QString &path);
    void readCredentials(const QJsonValue &v, const QString &path);
    void readRlimits(const QJsonValue &v, const QString &path);
    std::optional<rlim_t> readLimit(const QJsonValue &v, const QString &path);

    std::optional<std::vector<std::string>> stringList(const QJsonValue &v, const QString &path)
    {
        return r.list<std::string>(v, path, [this](const QJsonValue &item, const QString &p) {
            return r.string(item, p);
        });
    }
    std::optional<std::vector<int>> signalList(const QJsonValue &v, const QString &path);
    std::optional<std::vector<int>> fdList(const QJsonValue &v, const QString &path);
    std::optional<qint64> fd(const QJsonValue &v, const QString &path)
    {
        return r.integer(v, path, 0, maxFd);
    }

    JsonReader r;
    SpawnPlan &plan;
};

void PlanLoader::load(const QJsonObject &top)
{
    if (!readVersion(top)) return;
    if (!top.contains(QLatin1String("argv")))
        r.error(QStringLiteral("argv"), QStringLiteral("missing; expected a non-empty list of "
                                                       "strings, the program and its arguments"));
    // Absent keys are not visited, so they keep SpawnPlan's defaults.
    r.members(top, {}, [this](const QString &key, const QJsonValue &v, const QString &p) {
        if (key == u"spawnlab_plan") return true; // read first
        if (key == u"argv")
            readArgv(v, p);
        else if (key == u"executable")
            set(plan.executable, r.string(v, p));
        else if (key == u"env")
            readEnv(v, p);
        else if (key == u"cwd")
            set(plan.cwd, r.string(v, p));
        else if (key == u"umask")
            set(plan.umask, r.octal(v, p, 0777, QStringLiteral("0077")));
        else if (key == u"fds")
            set(plan.fds, r.list<FdAction>(v, p, [this](const QJsonValue &item, const QString &ip) {
                return readFd(item, ip);
            }));
        else if (key == u"close_fds")
            set(plan.closeFds, r.boolean(v, p));
        else if (key == u"pass_fds")
            set(plan.passFds, fdList(v, p));
        else if (key == u"close_method")
            set(plan.closeMethod,
                r.spelling<CloseMethod>(v, p, QStringLiteral("close method"), parseCloseMethod,
                                        spellingsOf<CloseMethod>(closeMethodName)));
        else if (key == u"signals")
            readSignals(v, p);
        else if (key == u"setsid")
            set(plan.setsid, r.boolean(v, p));
        else if (key == u"pgid")
            set(plan.pgid, r.integer(v, p, 0, INT_MAX));
        else if (key == u"credentials")
            readCredentials(v, p);
        else if (key == u"rlimits")
            readRlimits(v, p);
        else if (key == u"strategy")
            set(plan.strategy, r.spelling<Strategy>(v, p, QStringLiteral("strategy"), parseStrategy,
                                                    spellingsOf<Strategy>(strategyName)));
        else if (key == u"inspect")
            set(plan.inspect,
                r.list<InspectPoint>(v, p, [this](const QJsonValue &item, const QString &ip) {
                    return r.spelling<InspectPoint>(item, ip, QStringLiteral("inspect point"),
                                                    parseInspectPoint,
                                                    spellingsOf<InspectPoint>(inspectPointName));
                }));
        else if (key == u"timeout_ms")
            set(plan.timeoutMs, r.integer(v, p, 0, INT_MAX));
        else if (key == u"capture_limit_bytes")
            set(plan.captureLimitBytes, r.integer(v, p, 0, kMaxCaptureLimitBytes));
        else if (key == u"notes")
            set(plan.notes, stringList(v, p));
        else
            return false;
        return true;
    });
}

bool PlanLoader::readVersion(const QJsonObject &top)
{
    const QString key = QStringLiteral("spawnlab_plan");
    const QJsonValue v = top.value(key);
    if (v.isUndefined()) {
        // Perhaps just forgotten: go on, so the rest of the file is checked too.
        r.error(key, QStringLiteral("missing; a plan file starts with \"spawnlab_plan\": %1")
                         .arg(planFormatVersion));
        return true;
    }
    auto version = r.integer(v, key, 0, INT_MAX);
    if (version && *version != planFormatVersion) {
        // Another format version: its keys may mean other things, so stop here.
        r.error(key, QStringLiteral("unsupported plan format version %1; this spawnlab reads "
                                    "version %2")
                         .arg(*version)
                         .arg(planFormatVersion));
        return false;
    }
    return true;
}

void PlanLoader::readArgv(const QJsonValue &v, const QString &path)
{
    auto argv = stringList(v, path);
    if (argv && argv->empty())
        r.error(path, QStringLiteral("expected a non-empty list of strings, got []: argv[0] "
                                     "names the program"));
    set(plan.argv, argv);
}

void PlanLoader::readEnv(const QJsonValue &v, const QString &path)
{
    auto env = r.object(v, path);
    if (!env) return;
    r.members(*env, path, [this](const QString &key, const QJsonValue &v, const QString &p) {
        if (key == u"inherit")
            set(plan.env.inherit, r.boolean(v, p));
        else if (key == u"unset")
            set(plan.env.unset, stringList(v, p));
        else if (key != u"set")
            return false;
        else if (auto set = r.object(v, p)) {
            for (auto it = set->begin(); it != set->end(); ++it) {
                const QString &name = it.key();
                const QString at = keyPath(p, name);
                if (name.isEmpty() || name.contains(QLatin1Char('=')) || name.contains(QChar(0)))
                    r.error(at, QStringLiteral("a variable name must be non-empty and hold no "
                                               "'=' or NUL"));
                else if (auto value = r.string(it.value(), at))
                    plan.env.set.emplace_back(name.toStdString(), *value);
            }
        }
        return true;
    });
}

std::optional<FdAction> PlanLoader::readFd(const QJsonValue &v, const QString &path)
{
    auto entry = r.object(v, path);
    if (!entry) return std::nullopt;
    const QJsonValue fdValue = entry->value(QLatin1String("fd"));
    const QJsonValue actionValue = entry->value(QLatin1String("action"));
    const QString fdPath = keyPath(path, QStringLiteral("fd"));
    const QString actionPath = keyPath(path, QStringLiteral("action"));

    FdAction out;
    bool ok = true;
    if (fdValue.isUndefined()) {
        r.error(fdPath, QStringLiteral("missing; expected the child's fd number"));
        ok = false;
    } else {
        ok = set(out.fd, fd(fdValue, fdPath));
    }
    const QString actions = spellingsOf<FdActionKind>(fdActionName);
    if (actionValue.isUndefined()) {
        r.error(actionPath, QStringLiteral("missing; ") + actions);
        return std::nullopt;
    }
    if (!set(out.action,
             r.spelling<FdActionKind>(actionValue, actionPath, QStringLiteral("fd action"),
                                      parseFdAction, actions)))
        return std::nullopt;

    const QStringList used = keysOf(out.action);
    r.members(*entry, path, [&](const QString &key, const QJsonValue &v, const QString &p) {
        if (key == u"fd" || key == u"action") return true;
        if (!used.contains(key)) {
            if (!QStringList{"from", "path", "flags", "mode", "input"}.contains(key)) return false;
            // Saving would drop it silently: say so now.
            r.warn(
                p,
                QStringLiteral("not used by action \"%1\", ignored").arg(actionValue.toString()));
            return true;
        }
        if (key == u"from") {
            ok = set(out.from, fd(v, p)) && ok;
        } else if (key == u"path") {
            ok = set(out.path, r.string(v, p)) && ok;
        } else if (key == u"mode") {
            ok = set(out.mode, r.octal(v, p, 07777, QStringLiteral("0644"))) && ok;
        } else if (key == u"input") {
            ok = set(out.input, r.string(v, p, /*allowNul=*/true)) && ok;
        } else if (key == u"flags") {
            auto flags = r.list<int>(v, p, [this](const QJsonValue &item, const QString &ip) {
                return r.spelling<int>(item, ip, QStringLiteral("open flag"), parseOpenFlag);
            });
            for (int flag : flags.value_or(std::vector<int>{}))
                out.flags |= flag;
            ok = flags && ok;
        }
        return true;
    });

    for (const char *key : {"from", "path"}) {
        if (used.contains(QLatin1String(key)) && !entry->contains(QLatin1String(key))) {
            r.error(keyPath(path, QLatin1String(key)),
                    out.action == FdActionKind::Dup
                        ? QStringLiteral("missing; action \"dup\" copies this parent fd")
                        : QStringLiteral("missing; action \"open\" opens this path"));
            ok = false;
        }
    }
    return ok ? std::optional(out) : std::nullopt;
}

std::optional<std::vector<int>> PlanLoader::signalList(const QJsonValue &v, const QString &path)
{
    return r.list<int>(v, path, [this](const QJsonValue &item, const QString &p) {
        return r.spelling<int>(item, p, QStringLiteral("signal"), parseSignal,
                               QStringLiteral("expected a name like SIGTERM, TERM or SIGRTMIN+3"));
    });
}

std::optional<std::vector<int>> PlanLoader::fdList(const QJsonValue &v, const QString &path)
{
    return r.list<int>(v, path, [this](const QJsonValue &item, const QString &p) {
        auto n = fd(item, p);
        return n ? std::optional(int(*n)) : std::nullopt;
    });
}

void PlanLoader::readSignals(const QJsonValue &v, const QString &path)
{
    auto sig = r.object(v, path);
    if (!sig) return;
    r.members(*sig, path, [this](const QString &key, const QJsonValue &v, const QString &p) {
        if (key == u"block")
            set(plan.signals.block, signalList(v, p));
        else if (key == u"default")
            set(plan.signals.setDefault, signalList(v, p));
        else if (key == u"ignore")
            set(plan.signals.ignore, signalList(v, p));
        else if (key == u"reset_handlers")
            set(plan.signals.resetHandlers, r.boolean(v, p));
        else
            return false;
        return true;
    });
}

void PlanLoader::readCredentials(const QJsonValue &v, const QString &path)
{
    auto cred = r.object(v, path);
    if (!cred) return;
    Credentials out;
    r.members(*cred, path, [&](const QString &key, const QJsonValue &v, const QString &p) {
        if (key == u"uid")
            set(out.uid, r.integer(v, p, 0, maxId));
        else if (key == u"gid")
            set(out.gid, r.integer(v, p, 0, maxId));
        else if (key == u"groups")
            set(out.groups, r.list<gid_t>(v, p, [this](const QJsonValue &item, const QString &ip) {
                auto gid = r.integer(item, ip, 0, maxId);
                return gid ? std::optional(gid_t(*gid)) : std::nullopt;
            }));
        else
            return false;
        return true;
    });
    plan.credentials = out;
}

void PlanLoader::readRlimits(const QJsonValue &v, const QString &path)
{
    auto limits = r.object(v, path);
    if (!limits) return;
    for (auto it = limits->begin(); it != limits->end(); ++it) {
        const QString at = keyPath(path, it.key());
        auto resource = parseRlimit(it.key().toStdString());
        if (!resource) {
            r.error(at,
                    QStringLiteral("unknown resource \"%1\"; %2").arg(it.key(), rlimitSpellings()));
            continue;
        }
        const QJsonArray pair = it.value().toArray();
        if (!it.value().isArray() || pair.size() != 2) {
            r.error(at,
                    QStringLiteral("expected [soft, hard], got %1").arg(describeJson(it.value())));
            continue;
        }
        auto soft = readLimit(pair[0], indexPath(at, 0));
        auto hard = readLimit(pair[1], indexPath(at, 1));
        if (soft && hard) plan.rlimits.push_back({*resource, *soft, *hard});
    }
}

std::optional<rlim_t> PlanLoader::readLimit(const QJsonValue &v, const QString &path)
{
    if (v.isString()) {
        if (v.toString() == u"unlimited") return RLIM_INFINITY;
        r.error(path, QStringLiteral("expected a whole number or \"unlimited\", got %1")
                          .arg(describeJson(v)));
        return std::nullopt;
    }
    auto n = r.integer(v, path, 0, INT64_MAX);
    return n ? std::optional(rlim_t(*n)) : std::nullopt;
}

// The four hex digits of a \u escape at `at`, or -1.
int hexUnit(const QByteArray &json, qsizetype at)
{
    if (at + 4 > json.size()) return -1;
    bool ok = false;
    const int unit = json.mid(at, 4).toInt(&ok, 16);
    return ok && std::all_of(json.begin() + at, json.begin() + at + 4,
                             [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })
               ? unit
               : -1;
}

struct TextProblem {
    qsizetype offset;
    QString why;
    QString what = QStringLiteral("invalid JSON");
};

// Qt's parser takes strings RFC 8259 refuses and changes them: an unknown
// escape (\q, \x41) loses its backslash, a lone surrogate (\ud800) becomes
// '?', a raw control character passes. A plan says exactly which bytes the
// child gets, so such a string is refused, with where it is.
std::optional<TextProblem> strictStringProblem(const QByteArray &json)
{
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const auto c = static_cast<unsigned char>(json[i]);
        if (!inString || c == '"') {
            inString = inString ? false : c == '"';
            continue;
        }
        if (c < 0x20)
            return TextProblem{i, QStringLiteral("a control character (U+%1) in a string; "
                                                 "write it as an escape such as \\n")
                                      .arg(c, 4, 16, QLatin1Char('0'))};
        if (c != '\\' || ++i >= json.size()) continue; // an open string is Qt's error
        const char escape = json[i];
        if (escape != 0 && std::strchr("\"\\/bfnrt", escape)) continue;
        if (escape != 'u')
            return TextProblem{
                i - 1, QStringLiteral("\\%1 is not a JSON escape").arg(QChar(QLatin1Char(escape)))};
        const int unit = hexUnit(json, i + 1);
        if (unit < 0) return TextProblem{i - 1, QStringLiteral("\\u needs four hex digits")};
        i += 4;
        const bool high = unit >= 0xD800 && unit <= 0xDBFF;
        const bool low = unit >= 0xDC00 && unit <= 0xDFFF;
        if (high && json.mid(i + 1, 2) == "\\u") {
            const int next = hexUnit(json, i + 3);
            if (next >= 0xDC00 && next <= 0xDFFF) {
                i += 6;
                continue;
            }
        }
        if (high || low)
            return TextProblem{i - 5, QStringLiteral("\\u%1 is half of a UTF-16 surrogate "
                                                     "pair, not a character")
                                          .arg(unit, 4, 16, QLatin1Char('0'))};
    }
    return std::nullopt;
}

// "line 3, column 5" of byte `offset`.
QString lineAndColumn(const QByteArray &json, qsizetype offset)
{
    const QByteArray before = json.left(offset);
    const qsizetype line = before.count('\n') + 1;
    const qsizetype column = before.size() - (before.lastIndexOf('\n') + 1) + 1;
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

// What Qt's parser would lose without a word: the first of two equal keys in
// one object (a plan that says "argv" twice would run the second), and a
// whole number past 64 bits (it turns -9223372036854775809 into the smallest
// qint64). `json` has parsed already: only its strings, numbers and brackets
// need following.
std::optional<TextProblem> lostValueProblem(const QByteArray &json)
{
    struct Open {
        bool object = false;
        bool keyNext = false;           // in an object, at a key (not at a value)
        QHash<QString, qsizetype> keys; // key -> offset of its first use
    };
    std::vector<Open> open;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '{' || c == '[') {
            open.push_back({c == '{', c == '{', {}});
        } else if (c == '}' || c == ']') {
            if (!open.empty()) open.pop_back();
        } else if (c == ',') {
            if (!open.empty()) open.back().keyNext = open.back().object;
        } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
            const qsizetype start = i;
            while (i + 1 < json.size() && json[i + 1] != 0 &&
                   std::strchr("+-.0123456789eE", json[i + 1]))
                ++i;
            const QByteArray written = json.mid(start, i - start + 1);
            bool fits = false;
            written.toLongLong(&fits);
            const bool whole =
                !written.contains('.') && !written.contains('e') && !written.contains('E');
            if (whole && !fits)
                return TextProblem{start,
                                   QStringLiteral("%1 does not fit in 64 bits; no plan key "
                                                  "takes a number that large")
                                       .arg(QString::fromLatin1(written)),
                                   QStringLiteral("number out of range")};
        } else if (c == '"') {
            const qsizetype start = i;
            for (++i; i < json.size() && json[i] != '"'; ++i)
                if (json[i] == '\\') ++i;
            if (open.empty() || !open.back().keyNext) continue;
            open.back().keyNext = false;
            // Decoded, so that "a" and "\u0061" are the same key, as to Qt.
            const QByteArray written = json.mid(start, i - start + 1);
            const QString key =
                QJsonDocument::fromJson("[" + written + "]").array().at(0).toString();
            const auto first = open.back().keys.constFind(key);
            if (first == open.back().keys.cend()) {
                open.back().keys.insert(key, start);
                continue;
            }
            return TextProblem{start,
                               QStringLiteral("the key %1 is in this object twice (first at %2); "
                                              "JSON would keep only the last")
                                   .arg(QString::fromUtf8(written), lineAndColumn(json, *first)),
                               QStringLiteral("ambiguous JSON")};
        }
    }
    return std::nullopt;
}

// `what`: "invalid JSON", or what else is wrong with the text as a plan.
PlanIssue jsonProblem(const QByteArray &json, qsizetype offset, const QString &why,
                      const QString &what = QStringLiteral("invalid JSON"))
{
    return {{},
            QStringLiteral("%1 at %2 (offset %3): %4")
                .arg(what, lineAndColumn(json, offset))
                .arg(offset)
                .arg(why)};
}

} // namespace

PlanLoad loadPlan(const QByteArray &json)
{
    PlanLoad out;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        out.errors.append(jsonProblem(json, parseError.offset, parseError.errorString()));
        return out;
    }
    for (const auto &check : {strictStringProblem, lostValueProblem}) {
        if (const auto problem = check(json)) {
            out.errors.append(jsonProblem(json, problem->offset, problem->why, problem->what));
            return out;
        }
    }
    if (!doc.isObject()) {
        out.errors.append({{}, QStringLiteral("expected a JSON object at the top, got a list")});
        return out;
    }
    PlanLoader(out).load(doc.object());
    return out;
}

PlanLoad loadPlanFile(const QString &path)
{
    // A plan is a few KiB; the cap keeps a mistaken path (a log, /dev/zero) harmless.
    constexpr qint64 maxPlanBytes = 16 * 1024 * 1024;
    // "-": standard input (`spawnlab-cli run -`).
    QFile file(path);
    const bool opened =
        path == u"-" ? file.open(stdin, QIODevice::ReadOnly) : file.open(QIODevice::ReadOnly);
    if (!opened) {
        PlanLoad out;
        out.errors.append(
            {{}, QStringLiteral("cannot open plan file %1: %2").arg(path, file.errorString())});
        return out;
    }
    // A pipe gives the plan in pieces (a pipe buffer, or what a slow writer has
    // written so far): read to the end, not only what the first read returns.
    QByteArray json;
    while (json.size() <= maxPlanBytes) {
        const QByteArray piece = file.read(maxPlanBytes + 1 - json.size());
        if (piece.isEmpty()) break; // the end, or an error that file.error() tells
        json += piece;
    }
    if (json.size() > maxPlanBytes || file.error() != QFileDevice::NoError) {
        PlanLoad out;
        out.errors.append(
            {{},
             json.size() > maxPlanBytes
                 ? QStringLiteral("plan file %1 is larger than 16 MiB").arg(path)
                 : QStringLiteral("cannot read plan file %1: %2").arg(path, file.errorString())});
        return out;
    }
    return loadPlan(json);
}

} // namespace spawnlab
