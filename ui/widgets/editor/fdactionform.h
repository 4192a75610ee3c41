// SPDX-License-Identifier: GPL-3.0-or-later
// The details of one child fd: its number, its action, and what the action
// needs (the parent fd a dup copies, the path/flags/mode an open uses, the
// text a pipe_in feeds). Flags are checkboxes, so no one types O_* names.
#pragma once

#include "spawnlab/plan.h"
#include "spawnlab/procfs.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QStackedWidget;

namespace spawnlab {

class FdActionForm : public QWidget
{
    Q_OBJECT
public:
    explicit FdActionForm(QWidget *parent = nullptr);

    // Shows `action`; `parent` is spawnlab's fd table for the dup picker. Emits nothing.
    void setAction(const FdAction &action, const FdTable &parent);
    FdAction action() const;
    // What cannot become a plan value yet ("mode: empty"), or empty.
    QString issue() const;

Q_SIGNALS:
    void changed();

private:
    QWidget *dupPage();
    QWidget *openPage();
    QWidget *pipeInPage();
    QWidget *notePage(const QString &text);
    void updateModePreview();
    void showPage(int index);
    void fillParentFds(const FdTable &parent, int from);

    QSpinBox *m_fd = nullptr;
    QComboBox *m_kind = nullptr;
    QStackedWidget *m_pages = nullptr;
    QComboBox *m_from = nullptr;
    QLineEdit *m_path = nullptr;
    QComboBox *m_access = nullptr;
    QList<QCheckBox *> m_flags;
    QLineEdit *m_mode = nullptr;
    QLabel *m_modePreview = nullptr;
    QPlainTextEdit *m_input = nullptr;
    FdAction m_shown;
};

} // namespace spawnlab
