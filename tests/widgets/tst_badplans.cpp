// SPDX-License-Identifier: GPL-3.0-or-later
// Every broken plan of tests/support/bad_plans.h, opened in the GUI's document with
// the editor attached: a file that does not load is refused with the key
// named; a file that loads but cannot run has the key among the problems
// (which the editor marks) and Run is blocked. Nothing crashes or runs.
#include "editor/planeditor.h"
#include "plan/plandocument.h"

#include <QApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "bad_plans.h"

using namespace spawnlab;

namespace {

bool names(const QList<PlanIssue> &issues, const QString &field)
{
    for (const PlanIssue &issue : issues)
        if (issue.field == field) return true;
    return false;
}

} // namespace

class TestBadPlans : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void brokenPlansAreRefusedOrMarked_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        for (const BadPlan &bad : badPlans())
            QTest::newRow(bad.name) << bad.json << bad.field;
    }

    void brokenPlansAreRefusedOrMarked()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        QTemporaryDir dir;
        const QString marker = dir.filePath(QStringLiteral("marker"));
        const QString path = dir.filePath(QStringLiteral("broken.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json.replace("%MARKER%", marker.toUtf8()));
        file.close();

        PlanDocument document;
        PlanEditor editor(&document);
        const PlanLoad load = document.open(path);
        if (!load.ok()) {
            QVERIFY2(field.isEmpty() || names(load.errors, field), qPrintable(field));
            QVERIFY(document.filePath() != path); // refused: the old plan stays
        } else {
            QVERIFY2(names(document.problems(), field), qPrintable(field));
            QVERIFY(!document.canRun());
        }
        QVERIFY(!QFile::exists(marker));
    }
};

QTEST_MAIN(TestBadPlans)
#include "tst_badplans.moc"
