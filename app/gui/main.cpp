// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab: the GUI. `spawnlab [PLAN.json]` opens a plan (default: the fd-leak
// example, with leaky fds opened in spawnlab so there is something to leak);
// `spawnlab --screenshot DIR` saves pictures of each page and quits;
// `--dark` runs with a dark palette (add it to --screenshot for dark pictures);
// `--bench` opens on the Benchmark page.
#include "mainwindow.h"
#include "screenshots.h"

#include "spawnlab/launch.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPalette>
#include <QStyleFactory>

#include <cstdio>
#include <cstdlib>

namespace {

// Fusion with dark colours: to check that nothing hard-codes light-theme
// colours without switching the desktop's theme.
void useDarkPalette()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    const QColor window(45, 45, 48), base(30, 30, 32), text(220, 220, 220);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
    p.setColor(QPalette::Highlight, QColor(42, 130, 218));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(90, 90, 95));
    p.setColor(QPalette::Link, QColor(110, 170, 255));
    p.setColor(QPalette::LinkVisited, QColor(190, 150, 255));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
    QApplication::setPalette(p);
}

struct Options {
    QCommandLineOption screenshot{
        QStringLiteral("screenshot"),
        QStringLiteral("Save PNGs of the editor, result, fd tables and timeline of the examples "
                       "into DIR, then quit."),
        QStringLiteral("DIR")};
    QCommandLineOption dark{QStringLiteral("dark"),
                            QStringLiteral("Use a dark Fusion palette (to check dark mode).")};
    QCommandLineOption bench{QStringLiteral("bench"),
                             QStringLiteral("Open on the Benchmark page.")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.setApplicationDescription(QStringLiteral("A lab for Linux process creation"));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addPositionalArgument(QStringLiteral("plan"),
                                     QStringLiteral("A plan file to open (never run)."),
                                     QStringLiteral("[PLAN.json]"));
        parser.addOptions({screenshot, dark, bench});
    }
};

void nameApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("spawnlab"));
    QCoreApplication::setOrganizationName(QStringLiteral("spawnlab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SPAWNLAB_VERSION));
}

// --help, --version and a mistyped option need no display: answer them before
// QApplication, which aborts without one. A bad option exits 2, as usage errors do.
void answerWithoutDisplay(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    nameApplication();
    QCommandLineParser parser;
    const Options options;
    options.addTo(parser);
    if (!parser.parse(QCoreApplication::arguments())) {
        std::fprintf(stderr, "spawnlab: %s\n\n%s", qPrintable(parser.errorText()),
                     qPrintable(parser.helpText()));
        std::exit(2);
    }
    if (parser.isSet(QStringLiteral("help"))) parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version"))) parser.showVersion();
}

} // namespace

int main(int argc, char **argv)
{
    answerWithoutDisplay(argc, argv);
    spawnlab::takeSigchldBack(); // or every exit status would be lost (waitpid: ECHILD)
    QApplication app(argc, argv);
    nameApplication();
    QCommandLineParser parser;
    const Options options;
    options.addTo(parser);
    parser.process(app);
    if (parser.isSet(options.dark)) useDarkPalette();

    spawnlab::MainWindow window;
    const QStringList plans = parser.positionalArguments();
    if (!plans.isEmpty()) {
        window.openPlan(plans.front());
    } else {
        window.setLeakyFds(true);
        window.openPlan(QStringLiteral(":/plans/fd_leak.json"));
    }
    if (parser.isSet(options.bench)) window.showMode(spawnlab::MainWindow::BenchMode);
    window.show();
    if (parser.isSet(options.screenshot))
        spawnlab::takeScreenshots(&window, parser.value(options.screenshot));
    return app.exec();
}
