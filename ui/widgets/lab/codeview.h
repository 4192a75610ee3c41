// SPDX-License-Identifier: GPL-3.0-or-later
// "Show as code": the plan as the program a person would write in Python, Go,
// C, Rust or bash (ui/model/codeexport/codeexport.h), read-only in a CodeEditor
// (line numbers, syntax colours, "cannot express" lines marked), with a Copy button. setPlan is
// called whenever the plan changes.
#pragma once

#include "codeexport/codeexport.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTabBar;

namespace spawnlab {

class CodeEditor;

class CodeView : public QWidget
{
    Q_OBJECT
public:
    explicit CodeView(QWidget *parent = nullptr);

    void setPlan(const SpawnPlan &plan);
    void setLanguage(CodeLanguage lang);
    CodeLanguage language() const;
    QString text() const; // the code shown (what Copy puts on the clipboard)

    void copyToClipboard();

Q_SIGNALS:
    void languageChanged(spawnlab::CodeLanguage lang);

private:
    void refresh(bool keepPlace);

    SpawnPlan m_plan;
    QTabBar *m_languages = nullptr;
    CodeEditor *m_code = nullptr;
    QPushButton *m_copy = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace spawnlab
