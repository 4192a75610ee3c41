// SPDX-License-Identifier: GPL-3.0-or-later
// computeStats on inputs whose type-7 percentiles are known by hand.
#include "spawnlab/bench.h"

#include <QTest>

#include <numeric>

using spawnlab::bench::computeStats;
using spawnlab::bench::Stats;

class TestBenchStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void empty()
    {
        const Stats s = computeStats({});
        QCOMPARE(s.count, std::size_t(0));
        QCOMPARE(s.median, 0.0);
        QCOMPARE(s.mean, 0.0);
    }

    // Type-7 percentiles worked out by hand: rank h = (n - 1) p.
    void percentiles_data()
    {
        QTest::addColumn<QList<double>>("samples");
        QTest::addColumn<QList<double>>("expected"); // min p10 median p90 p99 mean

        QTest::newRow("one sample")
            << QList<double>{7.5} << QList<double>{7.5, 7.5, 7.5, 7.5, 7.5, 7.5};
        // 1..10: h = 9p.
        QList<double> oneToTen(10);
        std::iota(oneToTen.begin(), oneToTen.end(), 1.0);
        QTest::newRow("1..10") << oneToTen << QList<double>{1, 1.9, 5.5, 9.1, 9.91, 5.5};
        // A permutation of 0..100: every percentile lands on a sample.
        QList<double> zeroToHundred;
        for (int i = 0; i <= 100; ++i)
            zeroToHundred.push_back(double((i * 37) % 101));
        QTest::newRow("0..100 shuffled") << zeroToHundred << QList<double>{0, 10, 50, 90, 99, 50};
        // Unsorted and odd: 1, 3, 5 -> h = 2p.
        QTest::newRow("unsorted odd")
            << QList<double>{5, 1, 3} << QList<double>{1, 1.4, 3, 4.6, 4.96, 3};
    }

    void percentiles()
    {
        QFETCH(QList<double>, samples);
        QFETCH(QList<double>, expected);
        const Stats s = computeStats(std::vector<double>(samples.begin(), samples.end()));
        QCOMPARE(s.count, std::size_t(samples.size()));
        const std::vector<double> got{s.min, s.p10, s.median, s.p90, s.p99, s.mean};
        for (std::size_t i = 0; i < got.size(); ++i)
            QCOMPARE(got[i], expected[qsizetype(i)]);
    }

    // An outlier moves the mean and p99, not the median.
    void outlier()
    {
        std::vector<double> samples(99, 100.0);
        samples.push_back(100100.0);
        const Stats s = computeStats(samples);
        QCOMPARE(s.median, 100.0);
        QCOMPARE(s.p90, 100.0);
        QCOMPARE(s.mean, 1100.0);
        QCOMPARE(s.p99, 100.0 + 0.01 * 100000.0);
    }

    // fork's cost line: exact points give the exact slope and intercept.
    void fitExactLine()
    {
        const auto fit = spawnlab::bench::fitLine({0, 1, 2, 4}, {3, 5, 7, 11});
        QVERIFY(fit.valid);
        QCOMPARE(fit.slope, 2.0);
        QCOMPARE(fit.intercept, 3.0);
    }

    // Noise symmetric about y = x/2 leaves the least-squares slope at 1/2.
    void fitNoisyLine()
    {
        const auto fit = spawnlab::bench::fitLine({0, 0, 2, 2}, {1, -1, 2, 0});
        QVERIFY(fit.valid);
        QCOMPARE(fit.slope, 0.5);
        QCOMPARE(fit.intercept, 0.0);
    }

    void fitNeedsTwoDistinctX()
    {
        QVERIFY(!spawnlab::bench::fitLine({}, {}).valid);
        QVERIFY(!spawnlab::bench::fitLine({1}, {2}).valid);
        QVERIFY(!spawnlab::bench::fitLine({3, 3, 3}, {1, 2, 3}).valid);
    }
};

QTEST_GUILESS_MAIN(TestBenchStats)
#include "tst_bench_stats.moc"
