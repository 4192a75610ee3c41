// SPDX-License-Identifier: GPL-3.0-or-later
// A benchmark result as the GUI holds it: what was run (bench::Meta) and the
// points. Read from spawnlab-cli's JSON report or its jsonl lines; written with
// the core's writers, so a file saved by the GUI and one printed by the CLI are
// the same text and either opens in the other.
#pragma once

#include "spawnlab/bench.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace spawnlab {

struct BenchResult {
    bench::Meta meta;
    std::vector<bench::Point> points;

    bool isEmpty() const { return points.empty(); }
    // The points of one series ("rss" or "close_fds") and phase.
    std::vector<bench::Point> select(const std::string &series,
                                     bench::Phase phase = bench::Phase::RoundTrip) const;
    bool hasSeries(const std::string &series) const;
    // Drops one series' points (before a new run of it replaces them).
    void removeSeries(const std::string &series);
};

struct BenchLoad {
    BenchResult result;
    QString error; // names the key: "points[2].median_us: expected a number, got \"x\""
    bool ok() const { return error.isEmpty(); }
};

// One point from its JSON object (a jsonl line, or an item of "points").
// `path` prefixes the key in the error.
std::optional<bench::Point> pointFromJson(const QJsonObject &object, const QString &path,
                                          QString *error);

// What was run and where, from a report's top-level keys or jsonl's first
// line ({"spawnlab_bench": 1, "kernel": ...}); a key that is missing stays empty.
bench::Meta metaFromJson(const QJsonObject &report);
// jsonl's last line when the run had notes: {"notes": [...]} (bench::notesJson).
bool isNotesLine(const QJsonObject &line);

// A report ({"spawnlab_bench": 1, ...}) or jsonl (the run's metadata, then one
// point per line).
// Where a result was measured, one line: "Linux 6.18 x86_64 · glibc 2.36 ·
// vm (KVM) · THP madvise · mitigations: 3 on, 2 vulnerable"; with `full`
// one line per fact, each mitigation by name (a tooltip).
QString environmentText(const bench::Meta &meta, bool full = false);

BenchLoad loadBenchResult(const QByteArray &text);
BenchLoad loadBenchResultFile(const QString &path);

// The report JSON of bench::reportJson, with meta.series naming every series
// the points belong to.
QByteArray benchResultJson(const BenchResult &result);
QByteArray benchResultCsv(const BenchResult &result);
// Writes `data` to `path` whole or not at all; false with `error` set.
bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error);

// fork's cost in ms per GiB of parent RSS: the slope of its median round trip
// against measured RSS. Invalid without two fork points at different sizes.
bench::LineFit forkCostFit(const BenchResult &result, const std::string &strategy = "fork");

} // namespace spawnlab
