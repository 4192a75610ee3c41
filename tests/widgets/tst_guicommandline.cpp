// SPDX-License-Identifier: GPL-3.0-or-later
// `spawnlab --help`, `--version` and a mistyped option answer on the terminal
// without a display (no DISPLAY, no QT_QPA_PLATFORM), as command-line programs do.
#include <QProcess>
#include <QTest>

class TestGuiCommandLine : public QObject
{
    Q_OBJECT

    struct Finished {
        int code = -1;
        QByteArray out, err;
    };

    Finished spawnlab(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(SPAWNLAB_GUI), args);
        if (!p.waitForFinished(30000)) p.kill();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }

private Q_SLOTS:
    void version()
    {
        const Finished f = spawnlab({QStringLiteral("--version")});
        QCOMPARE(f.code, 0);
        QCOMPARE(f.out, QByteArray("spawnlab " SPAWNLAB_VERSION "\n"));
    }

    void help()
    {
        const Finished f = spawnlab({QStringLiteral("--help")});
        QCOMPARE(f.code, 0);
        for (const char *text : {"Usage:", "--screenshot", "--bench", "PLAN.json"})
            QVERIFY2(f.out.contains(text), text);
    }

    void unknownOption()
    {
        const Finished f = spawnlab({QStringLiteral("--bogus")});
        QCOMPARE(f.code, 2);
        QVERIFY2(f.err.startsWith("spawnlab: Unknown option 'bogus'."), f.err.constData());
        QVERIFY(f.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestGuiCommandLine)
#include "tst_guicommandline.moc"
