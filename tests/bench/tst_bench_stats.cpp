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

    void oneSample()
    {
        const Stats s = computeStats({7.5});
        QCOMPARE(s.count, std::size_t(1));
        for (double v : {s.min, s.p10, s.median, s.p90, s.p99, s.mean})
            QCOMPARE(v, 7.5);
    }

    // 1..10: rank h = 9p, so p10 = 1.9, median = 5.5, p90 = 9.1, p99 = 9.91.
    void oneToTen()
    {
        std::vector<double> samples(10);
        std::iota(samples.begin(), samples.end(), 1.0);
        const Stats s = computeStats(samples);
        QCOMPARE(s.count, std::size_t(10));
        QCOMPARE(s.min, 1.0);
        QCOMPARE(s.p10, 1.9);
        QCOMPARE(s.median, 5.5);
        QCOMPARE(s.p90, 9.1);
        QCOMPARE(s.p99, 9.91);
        QCOMPARE(s.mean, 5.5);
    }

    // 0..100: every percentile lands on a sample.
    void zeroToHundredShuffled()
    {
        std::vector<double> samples;
        for (int i = 0; i <= 100; ++i)
            samples.push_back(double((i * 37) % 101)); // a permutation of 0..100
        const Stats s = computeStats(samples);
        QCOMPARE(s.min, 0.0);
        QCOMPARE(s.p10, 10.0);
        QCOMPARE(s.median, 50.0);
        QCOMPARE(s.p90, 90.0);
        QCOMPARE(s.p99, 99.0);
        QCOMPARE(s.mean, 50.0);
    }

    // Unsorted and odd: 1, 3, 5 -> h = 2p.
    void unsortedOdd()
    {
        const Stats s = computeStats({5, 1, 3});
        QCOMPARE(s.min, 1.0);
        QCOMPARE(s.p10, 1.4);
        QCOMPARE(s.median, 3.0);
        QCOMPARE(s.p90, 4.6);
        QCOMPARE(s.p99, 4.96);
        QCOMPARE(s.mean, 3.0);
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
