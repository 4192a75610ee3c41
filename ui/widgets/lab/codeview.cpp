// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/codeview.h"

#include "lab/codeeditor.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTabBar>
#include <QVBoxLayout>

namespace spawnlab {

CodeView::CodeView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_languages = new QTabBar(this);
    m_languages->setObjectName(QStringLiteral("codeLanguages"));
    m_languages->setExpanding(false);
    m_languages->setDocumentMode(true);
    for (CodeLanguage lang : codeLanguages()) {
        const int tab = m_languages->addTab(codeLanguageName(lang));
        m_languages->setTabData(tab, int(lang));
    }
    m_status = new QLabel(this);
    m_copy = new QPushButton(tr("Copy"), this);
    m_copy->setObjectName(QStringLiteral("codeCopy"));
    m_copy->setToolTip(tr("Put the whole program on the clipboard"));
    bar->addWidget(m_languages, 1);
    bar->addWidget(m_copy);
    layout->addLayout(bar);

    m_code = new CodeEditor(this);
    m_code->setObjectName(QStringLiteral("codeText"));
    layout->addWidget(m_code, 1);
    layout->addWidget(m_status); // under the code: the language tabs keep the width

    connect(m_languages, &QTabBar::currentChanged, this, [this] {
        refresh(false);
        Q_EMIT languageChanged(language());
    });
    connect(m_copy, &QPushButton::clicked, this, &CodeView::copyToClipboard);
    refresh(false);
}

void CodeView::setPlan(const SpawnPlan &plan)
{
    m_plan = plan;
    refresh(true);
}

void CodeView::setLanguage(CodeLanguage lang)
{
    m_languages->setCurrentIndex(int(codeLanguages().indexOf(lang)));
}

CodeLanguage CodeView::language() const
{
    return CodeLanguage(m_languages->tabData(m_languages->currentIndex()).toInt());
}

QString CodeView::text() const
{
    return m_code->toPlainText();
}

void CodeView::copyToClipboard()
{
    QGuiApplication::clipboard()->setText(text());
    m_status->setText(tr("Copied: save it as spawn.%1").arg(codeFileExtension(language())));
}

void CodeView::refresh(bool keepPlace)
{
    // An edit of the plan keeps the reader's place; another language starts at the top.
    const int scroll = m_code->verticalScrollBar()->value();
    m_code->setCode(exportPlan(m_plan, language()), language());
    m_code->verticalScrollBar()->setValue(keepPlace ? scroll : 0);
    const int marked = int(m_code->markedLines().size());
    m_status->setText(
        marked ? tr("Tinted lines: what %1 cannot express.").arg(codeLanguageName(language()))
               : QString());
    m_status->setToolTip(
        marked ? tr("%n line(s) of comments say what %1 cannot express", nullptr, marked)
                     .arg(codeLanguageName(language()))
               : QString());
}

} // namespace spawnlab
