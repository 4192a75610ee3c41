// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/codeeditor.h"

#include "lab/codehighlighter.h"
#include "lab/fdrowdelegate.h"

#include <QEvent>
#include <QFontDatabase>
#include <QPainter>
#include <QTextBlock>

namespace spawnlab {

// The margin paints nothing itself: the editor knows where its lines are.
class LineNumberMargin : public QWidget
{
public:
    explicit LineNumberMargin(CodeEditor *editor) : QWidget(editor), m_editor(editor) {}
    QSize sizeHint() const override { return {m_editor->lineNumberWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent *event) override { m_editor->paintLineNumbers(event); }

private:
    CodeEditor *m_editor;
};

CodeEditor::CodeEditor(QWidget *parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    // Code keeps its lines: wrapping would break a shell command or a string.
    setLineWrapMode(QPlainTextEdit::NoWrap);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(mono);
    setTabStopDistance(4 * QFontMetricsF(mono).horizontalAdvance(QLatin1Char(' ')));
    m_margin = new LineNumberMargin(this);
    m_highlighter = new CodeHighlighter(document(), palette());
    connect(this, &QPlainTextEdit::blockCountChanged, this,
            [this] { setViewportMargins(lineNumberWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &rect, int dy) {
        if (dy)
            m_margin->scroll(0, dy);
        else
            m_margin->update(0, rect.y(), m_margin->width(), rect.height());
    });
    setViewportMargins(lineNumberWidth(), 0, 0, 0);
}

void CodeEditor::setCode(const QString &code, CodeLanguage lang)
{
    m_lang = lang;
    m_highlighter->setLanguage(lang); // before the text: one highlighting pass
    setPlainText(code);
    markLines();
}

int CodeEditor::lineNumberWidth() const
{
    const int digits = int(QString::number(qMax(1, blockCount())).size());
    return 8 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * qMax(2, digits);
}

void CodeEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect r = contentsRect();
    m_margin->setGeometry(r.left(), r.top(), lineNumberWidth(), r.height());
}

void CodeEditor::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) { // --dark, a theme switch
        m_highlighter->setPalette(palette());
        markLines();
    }
}

// What the language cannot say is a comment in the code: its lines are tinted,
// from the one that says "cannot express" to the end of that comment.
void CodeEditor::markLines()
{
    m_marked.clear();
    QList<QTextEdit::ExtraSelection> marks;
    QTextCharFormat tint;
    tint.setBackground(leakTint(palette()));
    tint.setProperty(QTextFormat::FullWidthSelection, true);
    const QString comment = m_lang == CodeLanguage::Python || m_lang == CodeLanguage::Shell
                                ? QStringLiteral("#")
                                : QStringLiteral("//");
    bool inNote = false;
    for (QTextBlock b = document()->begin(); b.isValid(); b = b.next()) {
        const QString line = b.text().trimmed();
        const bool commentLine = line.startsWith(comment) && line.size() > comment.size();
        inNote = commentLine && (inNote || line.contains(QLatin1String("cannot express")));
        if (!inNote) continue;
        m_marked << b.blockNumber();
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(b);
        mark.format = tint;
        marks << mark;
    }
    setExtraSelections(marks);
}

void CodeEditor::paintLineNumbers(QPaintEvent *event)
{
    QPainter painter(m_margin);
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    painter.setPen(palette().color(QPalette::PlaceholderText));
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    const int lineHeight = fontMetrics().height();
    while (block.isValid() && top <= event->rect().bottom()) {
        if (block.isVisible())
            painter.drawText(0, top, m_margin->width() - 4, lineHeight, Qt::AlignRight,
                             QString::number(block.blockNumber() + 1));
        top += qRound(blockBoundingRect(block).height());
        block = block.next();
    }
}

} // namespace spawnlab
