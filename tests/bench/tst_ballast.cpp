// SPDX-License-Identifier: GPL-3.0-or-later
// The ballast really becomes resident, is given back, and a size the machine
// cannot hold is refused before anything is touched.
#include "spawnlab/bench.h"

#include <QTest>

using namespace spawnlab::bench;

namespace {

constexpr std::uint64_t kMib = 256;
constexpr long long kKb = kMib * 1024;

bool within10Percent(long long grownKb)
{
    return grownKb > kKb * 9 / 10 && grownKb < kKb * 11 / 10;
}

} // namespace

class TestBallast : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rssGrowsByTheSize_data()
    {
        QTest::addColumn<int>("thp");
        QTest::newRow("default") << int(Thp::Default);
        QTest::newRow("off") << int(Thp::Off);
        QTest::newRow("on") << int(Thp::On);
    }

    void rssGrowsByTheSize()
    {
        QFETCH(int, thp);
        if (Thp(thp) == Thp::On && systemThpMode() == "unavailable")
            QSKIP("this kernel has no transparent huge pages");
        const long long before = residentKb();
        QVERIFY(before > 0);
        std::string error;
        Ballast ballast = Ballast::allocate(kMib, Thp(thp), error);
        QVERIFY2(error.empty(), error.c_str());
        QCOMPARE(ballast.bytes(), kMib * 1024 * 1024);
        const long long grown = residentKb() - before;
        QVERIFY2(within10Percent(grown), qPrintable(QString("grew by %1 kB").arg(grown)));
        if (Thp(thp) == Thp::Off) QVERIFY(anonHugeKb() < kKb / 10);

        ballast = Ballast(); // given back
        QVERIFY(residentKb() - before < kKb / 10);
    }

    void moveKeepsOneOwner()
    {
        const long long before = residentKb();
        std::string error;
        Ballast a = Ballast::allocate(64, Thp::Default, error);
        QVERIFY(error.empty());
        Ballast b = std::move(a);
        QCOMPARE(a.bytes(), std::uint64_t(0));
        QCOMPARE(b.bytes(), std::uint64_t(64) << 20);
        {
            Ballast gone = std::move(b);
        }
        QVERIFY(residentKb() - before < 16 * 1024);
    }

    void zeroIsEmpty()
    {
        std::string error = "stale";
        const Ballast b = Ballast::allocate(0, Thp::Default, error);
        QVERIFY(error.empty());
        QCOMPARE(b.bytes(), std::uint64_t(0));
    }

    void tooLargeIsRefusedUntouched()
    {
        const std::uint64_t max = maxBallastMib();
        QVERIFY(max > 0);
        const long long before = residentKb();
        std::string error;
        const Ballast b = Ballast::allocate(max + 4096, Thp::Default, error);
        QCOMPARE(b.bytes(), std::uint64_t(0));
        QVERIFY2(error.find("does not fit") != std::string::npos, error.c_str());
        QVERIFY2(error.find("MemAvailable") != std::string::npos, error.c_str());
        QVERIFY(residentKb() - before < 16 * 1024);
    }

    void thpModeIsRead()
    {
        const std::string mode = systemThpMode();
        QVERIFY2(mode == "always" || mode == "madvise" || mode == "never" || mode == "unavailable",
                 mode.c_str());
    }
};

QTEST_GUILESS_MAIN(TestBallast)
#include "tst_ballast.moc"
