// SPDX-License-Identifier: GPL-3.0-or-later
// Syntax colours for the exported code, one table per language: keywords,
// strings, numbers and comments (line comments, and C's /* */ across lines).
// Colours come from the palette, so they read in light and dark themes.
#pragma once

#include "codeexport/codeexport.h"

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace spawnlab {

class CodeHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    CodeHighlighter(QTextDocument *document, const QPalette &palette);

    void setLanguage(CodeLanguage lang); // rehighlights
    void setPalette(const QPalette &palette);

protected:
    void highlightBlock(const QString &text) override;

private:
    void buildFormats(const QPalette &palette);

    CodeLanguage m_lang = CodeLanguage::Python;
    QRegularExpression m_keywords, m_lineComment;
    bool m_blockComments = false; // /* ... */
    QTextCharFormat m_keyword, m_string, m_number, m_comment;
};

} // namespace spawnlab
