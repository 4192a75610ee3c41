// SPDX-License-Identifier: GPL-3.0-or-later
// Points as JSON and CSV, in plain C++ so the CLI and the GUI write the same
// text. Times in microseconds, rounded to nanoseconds.
#include "spawnlab/bench.h"
#include "spawnlab/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace spawnlab::bench {
namespace {

std::string number(double value)
{
    if (!std::isfinite(value)) return "null";
    char text[64];
    const double rounded = std::round(value * 1000.0) / 1000.0;
    auto [end, ec] = std::to_chars(text, text + sizeof text, rounded == 0 ? 0.0 : rounded);
    return ec == std::errc() ? std::string(text, end) : "null";
}

std::string csvField(std::string_view s)
{
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (const char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string optionalCount(long long value)
{
    return value < 0 ? std::string() : std::to_string(value);
}

// threads, spawns_per_s, its p10 and p90, windows: empty unless a threads point.
std::string threadColumns(const Point &p)
{
    if (p.threads < 0) return ",,,,";
    const Stats &s = p.spawnsPerSecond;
    return std::to_string(p.threads) + "," + number(s.median) + "," + number(s.p10) + "," +
           number(s.p90) + "," + std::to_string(s.count);
}

} // namespace

std::string pointJson(const Point &p)
{
    std::string j =
        "{\"strategy\":" + jsonString(p.strategy) + ",\"rss_mb\":" + std::to_string(p.rssMb) +
        ",\"rss_kb_measured\":" + std::to_string(p.rssKbMeasured) +
        ",\"runs\":" + std::to_string(p.stats.count) + ",\"min_us\":" + number(p.stats.min) +
        ",\"p10_us\":" + number(p.stats.p10) + ",\"median_us\":" + number(p.stats.median) +
        ",\"p90_us\":" + number(p.stats.p90) + ",\"p99_us\":" + number(p.stats.p99) +
        ",\"mean_us\":" + number(p.stats.mean) + ",\"phase\":" + jsonString(phaseName(p.phase)) +
        ",\"series\":" + jsonString(p.series) + ",\"thp\":" + jsonString(p.thp) +
        ",\"anon_huge_kb\":" + std::to_string(p.anonHugeKb) +
        ",\"failures\":" + std::to_string(p.failures);
    if (!p.closeMethod.empty())
        j += ",\"close_method\":" + jsonString(p.closeMethod) + ",\"axis\":" + jsonString(p.axis) +
             ",\"open_fds\":" + std::to_string(p.openFds) +
             ",\"nofile\":" + std::to_string(p.nofile);
    if (!p.shape.empty())
        j += ",\"shape\":" + jsonString(p.shape) + ",\"vmas\":" + std::to_string(p.vmas);
    if (p.threads >= 0)
        j += ",\"threads\":" + std::to_string(p.threads) +
             ",\"spawns_per_s\":" + number(p.spawnsPerSecond.median) +
             ",\"spawns_per_s_p10\":" + number(p.spawnsPerSecond.p10) +
             ",\"spawns_per_s_p90\":" + number(p.spawnsPerSecond.p90) +
             ",\"windows\":" + std::to_string(p.spawnsPerSecond.count);
    if (!p.api.empty())
        j += ",\"api\":" + jsonString(p.api) + ",\"version\":" + jsonString(p.version);
    return j + "}";
}

namespace {

std::string vulnerabilitiesJson(const Meta &meta)
{
    std::string j = "{";
    for (std::size_t i = 0; i < meta.vulnerabilities.size(); ++i)
        j += (i ? ", " : "") + jsonString(meta.vulnerabilities[i].first) + ": " +
             jsonString(meta.vulnerabilities[i].second);
    return j + "}";
}

// The report's keys before its points, each pair after the first preceded by
// `separator`.
std::string metaFields(const Meta &meta, const std::string &separator)
{
    std::string j = "\"spawnlab_bench\": 1" + separator + "\"series\": " + jsonString(meta.series) +
                    separator + "\"kernel\": " + jsonString(meta.kernel) + separator +
                    "\"cpu\": " + jsonString(meta.cpu) + separator +
                    "\"glibc\": " + jsonString(meta.glibc) + separator +
                    "\"machine\": " + jsonString(meta.machine) + separator +
                    "\"cpu_vulnerabilities\": " + vulnerabilitiesJson(meta) + separator +
                    "\"thp\": " + jsonString(meta.thp) + separator +
                    "\"thp_system\": " + jsonString(meta.thpSystem) + separator +
                    "\"target\": " + jsonString(meta.target) + separator +
                    "\"runs\": " + std::to_string(meta.runs) + separator +
                    "\"warmup\": " + std::to_string(meta.warmup) + separator +
                    "\"passes\": " + std::to_string(meta.passes) + separator + "\"notes\": [";
    for (std::size_t i = 0; i < meta.notes.size(); ++i)
        j += (i ? ", " : "") + jsonString(meta.notes[i]);
    return j + "]";
}

} // namespace

std::string notesJson(const std::vector<std::string> &notes)
{
    std::string j = "{\"notes\": [";
    for (std::size_t i = 0; i < notes.size(); ++i)
        j += (i ? ", " : "") + jsonString(notes[i]);
    return j += "]}";
}

std::string metaJson(const Meta &meta)
{
    // Appended, not "{" + ...: GCC 12 -O2 warns falsely (-Wrestrict) on that.
    std::string j = "{";
    j += metaFields(meta, ", ");
    return j += "}";
}

std::string reportJson(const Meta &meta, const std::vector<Point> &points)
{
    std::string j = "{\n  " + metaFields(meta, ",\n  ") + ",\n  \"points\": [";
    for (std::size_t i = 0; i < points.size(); ++i)
        j += (i ? ",\n    " : "\n    ") + pointJson(points[i]);
    return j + (points.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

std::string csvHeader()
{
    return "strategy,rss_mb,rss_kb_measured,runs,min_us,p10_us,median_us,p90_us,p99_us,mean_us,"
           "phase,series,thp,anon_huge_kb,failures,close_method,axis,open_fds,nofile,shape,vmas,"
           "threads,spawns_per_s,spawns_per_s_p10,spawns_per_s_p90,windows,api,version\n";
}

std::string csvRow(const Point &p)
{
    const Stats &s = p.stats;
    return csvField(p.strategy) + "," + std::to_string(p.rssMb) + "," +
           std::to_string(p.rssKbMeasured) + "," + std::to_string(s.count) + "," + number(s.min) +
           "," + number(s.p10) + "," + number(s.median) + "," + number(s.p90) + "," +
           number(s.p99) + "," + number(s.mean) + "," + std::string(phaseName(p.phase)) + "," +
           csvField(p.series) + "," + csvField(p.thp) + "," + std::to_string(p.anonHugeKb) + "," +
           std::to_string(p.failures) + "," + csvField(p.closeMethod) + "," + csvField(p.axis) +
           "," + optionalCount(p.openFds) + "," + optionalCount(p.nofile) + "," +
           csvField(p.shape) + "," + optionalCount(p.vmas) + "," + threadColumns(p) + "," +
           csvField(p.api) + "," + csvField(p.version) + "\n";
}

std::string reportCsv(const std::vector<Point> &points)
{
    std::string csv = csvHeader();
    for (const Point &p : points)
        csv += csvRow(p);
    return csv;
}

} // namespace spawnlab::bench
