// SPDX-License-Identifier: GPL-3.0-or-later
// Every problem of the plan in one list under the editor, so it is always
// clear why Run is disabled; clicking one shows its field.
#pragma once

#include "plan/planfile.h"

#include <QWidget>

class QLabel;
class QListWidget;

namespace spawnlab {

class ProblemsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ProblemsPanel(QWidget *parent = nullptr);

    void setProblems(const QList<PlanIssue> &problems);
    int count() const;

Q_SIGNALS:
    void fieldActivated(const QString &field);

private:
    QLabel *m_heading = nullptr;
    QListWidget *m_list = nullptr;
};

} // namespace spawnlab
