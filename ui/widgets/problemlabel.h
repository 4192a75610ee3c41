// SPDX-License-Identifier: GPL-3.0-or-later
// Says, right under a field, what is wrong with it: the problems whose field
// lies under its prefixes, with the style's warning icon (no colour of our
// own, so it reads in light and dark palettes). Hidden while there are none.
// A QLineEdit buddy also gets a warning icon inside it.
#pragma once

#include "plan/planfile.h"

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;

namespace spawnlab {

class ProblemLabel : public QWidget
{
    Q_OBJECT
public:
    explicit ProblemLabel(const QStringList &prefixes, QWidget *parent = nullptr,
                          QLineEdit *buddy = nullptr);

    void showProblems(const QList<PlanIssue> &problems);
    QString text() const;

private:
    QStringList m_prefixes;
    QLabel *m_text = nullptr;
    QLineEdit *m_buddy = nullptr;
    QAction *m_buddyMark = nullptr;
};

// Every ProblemLabel under `root` shows its share of `problems`.
void showProblemsIn(QWidget *root, const QList<PlanIssue> &problems);

} // namespace spawnlab
