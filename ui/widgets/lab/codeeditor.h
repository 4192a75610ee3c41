// SPDX-License-Identifier: GPL-3.0-or-later
// The Code tab's text: read-only, monospace, with line numbers in a margin,
// syntax colours per language (CodeHighlighter) and the lines that say what
// the language "cannot express" marked across the whole width.
#pragma once

#include "codeexport/codeexport.h"

#include <QPlainTextEdit>

namespace spawnlab {

class CodeHighlighter;

class CodeEditor : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit CodeEditor(QWidget *parent = nullptr);

    void setCode(const QString &code, CodeLanguage lang);
    // 0-based: the lines of each comment that says what the language "cannot express".
    QList<int> markedLines() const { return m_marked; }
    int lineNumberWidth() const;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    friend class LineNumberMargin;
    void paintLineNumbers(QPaintEvent *event);
    void markLines();

    QWidget *m_margin = nullptr;
    CodeHighlighter *m_highlighter = nullptr;
    QList<int> m_marked;
    CodeLanguage m_lang = CodeLanguage::Python;
};

} // namespace spawnlab
