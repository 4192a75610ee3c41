// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/codehighlighter.h"

#include <QPalette>
#include <QStringList>

namespace spawnlab {
namespace {

struct LanguageRules {
    CodeLanguage lang;
    const char *keywords; // blank-separated
    const char *lineComment;
    bool blockComments;
};

// The words a reader of each language looks for; not a full grammar.
const LanguageRules kRules[] = {
    {CodeLanguage::Python,
     "import from as def return if elif else for in while with try except finally raise "
     "lambda None True False and or not is pass class",
     "#", false},
    {CodeLanguage::Go,
     "package import func return if else for range var const type struct defer go nil true "
     "false map chan switch case default break continue",
     "//", false},
    {CodeLanguage::C,
     "include define int char void const static struct enum return if else for while sizeof "
     "unsigned long short size_t pid_t extern NULL goto break continue switch case default",
     "//", true},
    {CodeLanguage::Rust,
     "use fn let mut return if else for in while match impl struct enum pub unsafe as mod "
     "loop break continue Some None Ok Err true false move ref",
     "//", false},
    {CodeLanguage::Shell,
     "if then else elif fi for in do done while case esac exec exit export unset local "
     "return printf echo set trap",
     "#", false},
};

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

CodeHighlighter::CodeHighlighter(QTextDocument *document, const QPalette &palette)
    : QSyntaxHighlighter(document)
{
    buildFormats(palette);
    setLanguage(CodeLanguage::Python);
}

void CodeHighlighter::buildFormats(const QPalette &palette)
{
    const QColor text = palette.color(QPalette::Text);
    m_keyword = {};
    m_keyword.setForeground(palette.color(QPalette::Link));
    m_keyword.setFontWeight(QFont::Bold);
    m_string = {};
    m_string.setForeground(mix(text, QColor(0x2e, 0x9e, 0x3e), 0.7)); // green, toward the text
    m_number = {};
    m_number.setForeground(mix(text, QColor(0xc0, 0x60, 0x00), 0.7)); // orange
    m_comment = {};
    m_comment.setForeground(palette.color(QPalette::PlaceholderText));
    m_comment.setFontItalic(true);
}

void CodeHighlighter::setPalette(const QPalette &palette)
{
    buildFormats(palette);
    rehighlight();
}

void CodeHighlighter::setLanguage(CodeLanguage lang)
{
    m_lang = lang;
    for (const LanguageRules &r : kRules) {
        if (r.lang != lang) continue;
        const QStringList words = QString::fromLatin1(r.keywords).split(u' ');
        m_keywords.setPattern(QStringLiteral("\\b(?:%1)\\b").arg(words.join(u'|')));
        m_lineComment.setPattern(QRegularExpression::escape(QString::fromLatin1(r.lineComment)));
        m_blockComments = r.blockComments;
    }
    rehighlight();
}

void CodeHighlighter::highlightBlock(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("\\b\\d+\\b"));
    for (const auto &m : m_keywords.globalMatch(text))
        setFormat(int(m.capturedStart()), int(m.capturedLength()), m_keyword);
    for (const auto &m : number.globalMatch(text))
        setFormat(int(m.capturedStart()), int(m.capturedLength()), m_number);

    // Strings and comments left to right, so a '#' inside a string stays string.
    setCurrentBlockState(0);
    int at = 0;
    if (m_blockComments && previousBlockState() == 1) { // inside /* */ from the line before
        const int end = int(text.indexOf(QLatin1String("*/")));
        setFormat(0, end < 0 ? int(text.size()) : end + 2, m_comment);
        if (end < 0) {
            setCurrentBlockState(1);
            return;
        }
        at = end + 2;
    }
    while (at < text.size()) {
        const QChar c = text[at];
        if (c == u'"' || c == u'\'') {
            int end = at + 1;
            while (end < text.size() && text[end] != c)
                end += text[end] == u'\\' ? 2 : 1;
            setFormat(at, qMin(end + 1, int(text.size())) - at, m_string);
            at = end + 1;
        } else if (m_blockComments && text.mid(at, 2) == QLatin1String("/*")) {
            const int end = int(text.indexOf(QLatin1String("*/"), at + 2));
            setFormat(at, (end < 0 ? int(text.size()) : end + 2) - at, m_comment);
            if (end < 0) {
                setCurrentBlockState(1);
                return;
            }
            at = end + 2;
        } else if (m_lineComment
                       .match(text, at, QRegularExpression::NormalMatch,
                              QRegularExpression::AnchorAtOffsetMatchOption)
                       .hasMatch() &&
                   !(m_lang == CodeLanguage::Shell && at > 0 && text[at - 1] == u'$')) {
            setFormat(at, int(text.size()) - at, m_comment);
            return;
        } else {
            ++at;
        }
    }
}

} // namespace spawnlab
