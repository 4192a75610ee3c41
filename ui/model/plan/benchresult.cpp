// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/benchresult.h"

#include "qs.h"

#include "plan/jsonreader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>
#include <limits>

namespace spawnlab {
namespace {

namespace bench = spawnlab::bench;

QString knownSeriesList()
{
    QStringList names;
    for (const std::string &name : bench::knownSeries())
        names << qs(name);
    return names.join(QStringLiteral(", "));
}

// Reads the keys of one point; the first problem wins and names its key.
class PointReader
{
public:
    PointReader(const QJsonObject &object, const QString &path) : m_object(object), m_path(path) {}

    QString error() const { return m_error; }

    std::string text(const char *key, const char *fallback = nullptr)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined() && fallback) return fallback;
        if (!v.isString()) return fail(key, QStringLiteral("a string"), v), std::string();
        return v.toString().toStdString();
    }

    // Numbers the writers print as null when they were not finite.
    double number(const char *key)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isNull()) return std::numeric_limits<double>::quiet_NaN();
        if (!v.isDouble()) return fail(key, QStringLiteral("a number"), v), 0.0;
        return v.toDouble();
    }

    long long count(const char *key, long long fallback, long long min)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined()) return fallback;
        const double d = v.toDouble(-1e300);
        if (!v.isDouble() || d != std::floor(d) || d < double(min) || d > 9e15)
            return fail(key, QStringLiteral("a whole number >= %1").arg(min), v), fallback;
        return (long long)d;
    }

private:
    void fail(const char *key, const QString &what, const QJsonValue &got)
    {
        if (!m_error.isEmpty()) return;
        m_error = QStringLiteral("%1: expected %2, got %3")
                      .arg(keyPath(m_path, QLatin1String(key)), what, describeJson(got));
    }

    const QJsonObject &m_object;
    QString m_path;
    QString m_error;
};

BenchLoad failed(const QString &message)
{
    BenchLoad load;
    load.error = message;
    return load;
}

std::vector<std::string> stringList(const QJsonValue &value)
{
    std::vector<std::string> out;
    for (const QJsonValue &item : value.toArray())
        out.push_back(item.toString().toStdString());
    return out;
}

// "" for a report (or jsonl's first line) of the version this reads.
QString versionProblem(const QJsonObject &report)
{
    if (report.value(QLatin1String("spawnlab_bench")).toInt() == 1) return {};
    return QStringLiteral("spawnlab_bench: expected 1 (a spawnlab-cli bench report), got %1")
        .arg(describeJson(report.value(QLatin1String("spawnlab_bench"))));
}

BenchLoad loadReport(const QJsonObject &report)
{
    if (const QString problem = versionProblem(report); !problem.isEmpty()) return failed(problem);
    const QJsonValue points = report.value(QLatin1String("points"));
    if (!points.isArray())
        return failed(QStringLiteral("points: expected a list, got %1").arg(describeJson(points)));
    BenchLoad load;
    load.result.meta = metaFromJson(report);
    const QJsonArray items = points.toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString at = indexPath(QStringLiteral("points"), i);
        if (!items[i].isObject())
            return failed(at + QStringLiteral(": expected an object, got ") +
                          describeJson(items[i]));
        QString error;
        auto point = pointFromJson(items[i].toObject(), at, &error);
        if (!point) return failed(error);
        load.result.points.push_back(std::move(*point));
    }
    return load;
}

BenchLoad loadLines(const QByteArray &text)
{
    BenchLoad load;
    int lineNumber = 0;
    for (const QByteArray &line : text.split('\n')) {
        ++lineNumber;
        if (line.trimmed().isEmpty()) continue;
        QJsonParseError parse{};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parse);
        const QString at = QStringLiteral("line %1").arg(lineNumber);
        if (!doc.isObject())
            return failed(at + QStringLiteral(": not a JSON object (%1)")
                                   .arg(parse.error ? parse.errorString()
                                                    : QStringLiteral("a list or value")));
        if (doc.object().contains(QLatin1String("spawnlab_bench"))) { // the run's metadata
            if (const QString problem = versionProblem(doc.object()); !problem.isEmpty())
                return failed(at + QStringLiteral(": ") + problem);
            load.result.meta = metaFromJson(doc.object());
            continue;
        }
        if (isNotesLine(doc.object())) { // the run's notes, last
            const std::vector<std::string> notes =
                stringList(doc.object().value(QLatin1String("notes")));
            load.result.meta.notes.insert(load.result.meta.notes.end(), notes.begin(), notes.end());
            continue;
        }
        QString error;
        auto point = pointFromJson(doc.object(), at, &error);
        if (!point) return failed(error);
        load.result.points.push_back(std::move(*point));
    }
    if (load.result.points.empty()) return failed(QStringLiteral("the file holds no points"));
    return load;
}

} // namespace

std::vector<bench::Point> BenchResult::select(const std::string &series, bench::Phase phase) const
{
    std::vector<bench::Point> out;
    for (const bench::Point &p : points)
        if (p.series == series && p.phase == phase) out.push_back(p);
    return out;
}

bool BenchResult::hasSeries(const std::string &series) const
{
    return std::any_of(points.begin(), points.end(),
                       [&](const bench::Point &p) { return p.series == series; });
}

void BenchResult::removeSeries(const std::string &series)
{
    std::erase_if(points, [&](const bench::Point &p) { return p.series == series; });
}

std::optional<bench::Point> pointFromJson(const QJsonObject &object, const QString &path,
                                          QString *error)
{
    PointReader r(object, path);
    bench::Point p;
    p.strategy = r.text("strategy");
    p.series = r.text("series", "rss");
    const std::string phase = r.text("phase", "round_trip");
    p.rssMb = std::uint64_t(r.count("rss_mb", 0, 0));
    p.rssKbMeasured = r.count("rss_kb_measured", -1, -1);
    p.anonHugeKb = r.count("anon_huge_kb", -1, -1);
    p.thp = r.text("thp", "default");
    p.failures = int(r.count("failures", 0, 0));
    p.stats.count = std::size_t(r.count("runs", 0, 0));
    p.stats.min = r.number("min_us");
    p.stats.p10 = r.number("p10_us");
    p.stats.median = r.number("median_us");
    p.stats.p90 = r.number("p90_us");
    p.stats.p99 = r.number("p99_us");
    p.stats.mean = r.number("mean_us");
    if (object.contains(QLatin1String("close_method"))) {
        p.closeMethod = r.text("close_method");
        p.axis = r.text("axis");
        p.openFds = r.count("open_fds", -1, -1);
        p.nofile = r.count("nofile", -1, -1);
    }
    if (object.contains(QLatin1String("shape"))) {
        p.shape = r.text("shape");
        p.vmas = r.count("vmas", -1, -1);
    }
    if (object.contains(QLatin1String("threads"))) {
        p.threads = int(r.count("threads", -1, 1));
        p.spawnsPerSecond.median = r.number("spawns_per_s");
        p.spawnsPerSecond.p10 = r.number("spawns_per_s_p10");
        p.spawnsPerSecond.p90 = r.number("spawns_per_s_p90");
        p.spawnsPerSecond.count = std::size_t(r.count("windows", 0, 0));
    }
    if (object.contains(QLatin1String("api"))) {
        p.api = r.text("api");
        p.version = r.text("version", "");
    }
    QString problem = r.error();
    if (problem.isEmpty() && p.strategy.empty())
        problem = keyPath(path, QStringLiteral("strategy")) + QStringLiteral(": is empty");
    const auto parsedPhase = bench::parsePhase(phase);
    if (problem.isEmpty() && !parsedPhase)
        problem = keyPath(path, QStringLiteral("phase")) +
                  QStringLiteral(": \"%1\" is not round_trip, exec_confirmed or spawn_returned")
                      .arg(qs(phase));
    const std::vector<std::string> &series = bench::knownSeries();
    if (problem.isEmpty() && std::find(series.begin(), series.end(), p.series) == series.end())
        problem = keyPath(path, QStringLiteral("series")) +
                  QStringLiteral(": \"%1\" is not one of %2").arg(qs(p.series), knownSeriesList());
    if (!problem.isEmpty()) {
        if (error) *error = problem;
        return std::nullopt;
    }
    p.phase = *parsedPhase;
    return p;
}

QString environmentText(const bench::Meta &m, bool full)
{
    int mitigated = 0, vulnerable = 0;
    for (const auto &[name, state] : m.vulnerabilities) {
        mitigated += state.starts_with("Mitigation") ? 1 : 0;
        vulnerable += state.starts_with("Vulnerable") ? 1 : 0;
    }
    QStringList facts;
    if (!m.kernel.empty()) facts << qs(m.kernel);
    if (!m.cpu.empty()) facts << qs(m.cpu);
    if (!m.glibc.empty()) facts << QStringLiteral("glibc ") + qs(m.glibc);
    if (!m.machine.empty()) facts << qs(m.machine);
    if (!m.thpSystem.empty()) facts << QStringLiteral("THP ") + qs(m.thpSystem);
    if (!full) {
        if (!m.vulnerabilities.empty())
            facts << QStringLiteral("mitigations: %1 on, %2 vulnerable")
                         .arg(mitigated)
                         .arg(vulnerable);
        return facts.join(QStringLiteral(" · "));
    }
    for (const auto &[name, state] : m.vulnerabilities)
        facts << qs(name) + QStringLiteral(": ") + qs(state);
    return facts.join(u'\n');
}

bool isNotesLine(const QJsonObject &line)
{
    return line.size() == 1 && line.value(QLatin1String("notes")).isArray();
}

bench::Meta metaFromJson(const QJsonObject &report)
{
    bench::Meta m;
    auto text = [&](const char *key) {
        return report.value(QLatin1String(key)).toString().toStdString();
    };
    m.series = text("series");
    m.kernel = text("kernel");
    m.cpu = text("cpu");
    m.glibc = text("glibc");
    m.machine = text("machine");
    const QJsonObject vulnerabilities =
        report.value(QLatin1String("cpu_vulnerabilities")).toObject();
    for (auto it = vulnerabilities.begin(); it != vulnerabilities.end(); ++it)
        m.vulnerabilities.emplace_back(it.key().toStdString(), it.value().toString().toStdString());
    m.thp = text("thp");
    m.thpSystem = text("thp_system");
    m.target = text("target");
    m.runs = report.value(QLatin1String("runs")).toInt();
    m.warmup = report.value(QLatin1String("warmup")).toInt();
    m.passes = report.value(QLatin1String("passes")).toInt(1);
    m.notes = stringList(report.value(QLatin1String("notes")));
    return m;
}

BenchLoad loadBenchResult(const QByteArray &text)
{
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(text, &parse);
    if (doc.isObject() && doc.object().contains(QLatin1String("spawnlab_bench")))
        return loadReport(doc.object());
    if (doc.isObject() || parse.error == QJsonParseError::GarbageAtEnd) return loadLines(text);
    if (parse.error != QJsonParseError::NoError)
        return failed(
            QStringLiteral("not JSON: %1 at offset %2").arg(parse.errorString()).arg(parse.offset));
    return failed(QStringLiteral("expected a spawnlab-cli bench report (an object with "
                                 "\"spawnlab_bench\": 1) or one point per line"));
}

BenchLoad loadBenchResultFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failed(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    BenchLoad load = loadBenchResult(file.readAll());
    if (!load.ok()) load.error = path + QStringLiteral(": ") + load.error;
    return load;
}

QByteArray benchResultJson(const BenchResult &result)
{
    bench::Meta meta = result.meta;
    std::string series;
    for (const std::string &name : bench::knownSeries())
        if (result.hasSeries(name)) series += (series.empty() ? "" : ",") + name;
    if (!series.empty()) meta.series = series;
    return QByteArray::fromStdString(bench::reportJson(meta, result.points));
}

QByteArray benchResultCsv(const BenchResult &result)
{
    return QByteArray::fromStdString(bench::reportCsv(result.points));
}

bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(data) == data.size() && file.commit())
        return true;
    if (error) *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return false;
}

bench::LineFit forkCostFit(const BenchResult &result, const std::string &strategy)
{
    std::vector<double> gib, ms;
    for (const bench::Point &p : result.select("rss")) {
        if (p.strategy != strategy || p.rssKbMeasured < 0 || !std::isfinite(p.stats.median))
            continue;
        gib.push_back(double(p.rssKbMeasured) / (1024.0 * 1024.0));
        ms.push_back(p.stats.median / 1000.0);
    }
    return bench::fitLine(gib, ms);
}

} // namespace spawnlab
