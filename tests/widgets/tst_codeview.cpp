// SPDX-License-Identifier: GPL-3.0-or-later
// The Code tab reads like code: keywords, strings and comments coloured per
// language, line numbers in a margin, and the comment lines that say what the
// language cannot express tinted across the editor, said in the status.
#include "lab/codeeditor.h"
#include "lab/codeview.h"

#include <QLabel>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

#include <signal.h>

#include <algorithm>

using namespace spawnlab;

namespace {

SpawnPlan limitedPlan()
{
    SpawnPlan plan;
    plan.argv = {"true"};
    plan.umask = 077;
    plan.signals.ignore = {SIGHUP};
    return plan;
}

// The formats the highlighter gave line `line` of `editor`.
QList<QTextLayout::FormatRange> formatsOf(CodeEditor *editor, int line)
{
    return editor->document()->findBlockByNumber(line).layout()->formats();
}

int lineStarting(CodeEditor *editor, const QString &start)
{
    for (QTextBlock b = editor->document()->begin(); b.isValid(); b = b.next())
        if (b.text().startsWith(start)) return b.blockNumber();
    return -1;
}

} // namespace

class TestCodeView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cannotExpressLinesAreMarked()
    {
        CodeView view;
        view.resize(900, 600);
        view.show();
        view.setLanguage(CodeLanguage::C);
        view.setPlan(limitedPlan());
        auto *editor = view.findChild<CodeEditor *>(QStringLiteral("codeText"));
        QVERIFY(editor);
        const QList<int> marked = editor->markedLines();
        QVERIFY(!marked.isEmpty());
        QCOMPARE(editor->extraSelections().size(), marked.size());
        for (QTextBlock b = editor->document()->begin(); b.isValid(); b = b.next()) {
            if (b.text().contains(QLatin1String("cannot express")))
                QVERIFY2(marked.contains(b.blockNumber()), qPrintable(b.text()));
            if (marked.contains(b.blockNumber()))
                QVERIFY2(b.text().startsWith(QLatin1String("//")), qPrintable(b.text()));
        }
        // A note's continuation is marked, the code after the notes is not.
        const int umaskNote =
            lineStarting(editor, QStringLiteral("// posix_spawn cannot express umask"));
        QVERIFY(marked.contains(umaskNote + 1));
        QVERIFY(!marked.contains(lineStarting(editor, QStringLiteral("#define"))));
        QVERIFY(!marked.contains(0)); // the header
        auto *status = view.findChildren<QLabel *>().value(0);
        QVERIFY(status && status->text().contains(QLatin1String("cannot express")));

        // Python can set umask (preexec) and ignore nothing more: fewer marks or none,
        // and a plan it expresses fully has none.
        SpawnPlan plain;
        plain.argv = {"ls"};
        view.setLanguage(CodeLanguage::Python);
        view.setPlan(plain);
        QVERIFY(editor->markedLines().isEmpty());
        QVERIFY(editor->extraSelections().isEmpty());
        QVERIFY(status->text().isEmpty());
    }

    void keywordsStringsAndCommentsAreColoured()
    {
        CodeView view;
        view.setLanguage(CodeLanguage::Python);
        SpawnPlan plan;
        plan.argv = {"echo", "a # not a comment"};
        view.setPlan(plan);
        auto *editor = view.findChild<CodeEditor *>(QStringLiteral("codeText"));
        const int import = lineStarting(editor, QStringLiteral("import subprocess"));
        QVERIFY(import >= 0);
        const auto importFormats = formatsOf(editor, import);
        QVERIFY(std::any_of(importFormats.begin(), importFormats.end(), [](const auto &r) {
            return r.start == 0 && r.length == 6 && r.format.fontWeight() == QFont::Bold;
        }));
        // The header comment is italic from its first character.
        const auto header = formatsOf(editor, 1);
        QVERIFY(!header.isEmpty() && header.first().start == 0 &&
                header.first().format.fontItalic());
        // A '#' inside a string is string, not comment: no italic on that line.
        const int argv = lineStarting(editor, QStringLiteral("    ['echo'"));
        QVERIFY(argv >= 0);
        for (const auto &r : formatsOf(editor, argv))
            QVERIFY(!r.format.fontItalic());
    }

    void lineNumbersHaveTheirMargin()
    {
        CodeView view;
        view.setPlan(limitedPlan());
        auto *editor = view.findChild<CodeEditor *>(QStringLiteral("codeText"));
        QVERIFY(editor->lineNumberWidth() >=
                editor->fontMetrics().horizontalAdvance(QStringLiteral("99")));
        // The text starts right of the margin.
        QCOMPARE(editor->viewport()->geometry().left() - editor->contentsRect().left(),
                 editor->lineNumberWidth());
    }
};

QTEST_MAIN(TestCodeView)
#include "tst_codeview.moc"
