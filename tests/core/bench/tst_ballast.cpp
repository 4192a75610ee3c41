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

    // A reservation costs no RSS and one mapping; many mappings are really
    // separate VMAs (the kernel would merge neighbours of the same protection)
    // and resident; both go away with the ballast.
    void shapes()
    {
        const long long rss = residentKb(), maps = mappingCount();
        QVERIFY(maps > 0);
        std::string error;
        Ballast reserved = Ballast::allocate(kMib, MemoryShape::Reserved, 0, Thp::Default, error);
        QVERIFY2(error.empty(), error.c_str());
        QCOMPARE(reserved.bytes(), kMib * 1024 * 1024);
        QVERIFY(residentKb() - rss < kKb / 10);
        QVERIFY(mappingCount() - maps <= 2);

        Ballast vmas = Ballast::allocate(kMib, MemoryShape::Vmas, 1000, Thp::Default, error);
        QVERIFY2(error.empty(), error.c_str());
        QVERIFY(vmas.bytes() >= kMib * 1024 * 1024);
        const long long added = mappingCount() - maps;
        QVERIFY2(added >= 1000 && added <= 1003, qPrintable(QString::number(added)));
        QVERIFY(within10Percent(residentKb() - rss));

        reserved = Ballast();
        vmas = Ballast();
        QVERIFY(mappingCount() - maps <= 1);
        QVERIFY(residentKb() - rss < kKb / 10);
    }

    // Vmas at 0 MiB is still one page a mapping; a reservation far beyond
    // MemAvailable is granted (nothing becomes resident).
    void shapeLimits()
    {
        std::string error;
        const Ballast pages = Ballast::allocate(0, MemoryShape::Vmas, 100, Thp::Default, error);
        QVERIFY2(error.empty(), error.c_str());
        QCOMPARE(pages.bytes(), std::uint64_t(100 * 4096));
        const Ballast none = Ballast::allocate(8, MemoryShape::Vmas, 0, Thp::Default, error);
        QVERIFY2(error.find("at least one mapping") != std::string::npos, error.c_str());
        const Ballast huge = Ballast::allocate(maxBallastMib() + 4096, MemoryShape::Reserved, 0,
                                               Thp::Default, error);
        QVERIFY2(error.empty(), error.c_str());
        QVERIFY(huge.bytes() > 0);
        QCOMPARE(parseMemoryShape("vmas"), std::optional(MemoryShape::Vmas));
        QCOMPARE(parseMemoryShape("touch"), std::nullopt);
        for (const MemoryShape s : kMemoryShapes)
            QCOMPARE(parseMemoryShape(memoryShapeName(s)), std::optional(s));
    }

    // Every spelling reads back as the value it names, and nothing else parses.
    void namesRoundTrip()
    {
        for (const Thp t : {Thp::Default, Thp::On, Thp::Off})
            QCOMPARE(parseThp(thpName(t)), std::optional(t));
        QCOMPARE(std::string(thpName(Thp::On)), "on");
        QCOMPARE(parseThp("always"), std::nullopt);
        for (const Phase p : kPhases)
            QCOMPARE(parsePhase(phaseName(p)), std::optional(p));
        QCOMPARE(std::string(phaseName(Phase::SpawnReturned)), "spawn_returned");
        QCOMPARE(parsePhase("round trip"), std::nullopt);
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
