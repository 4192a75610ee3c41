// SPDX-License-Identifier: GPL-3.0-or-later
// Small delegates shared by the editors' tables.
#pragma once

#include <QStyledItemDelegate>

namespace spawnlab {

// Puts the style's warning icon in column 0 of rows whose `problemRole` text
// is not empty (the text itself is the row's tooltip).
class ProblemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    ProblemDelegate(int problemRole, QObject *parent);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_role;
};

// Edits a cell by picking one of a fixed list of spellings.
class ChoiceDelegate : public ProblemDelegate
{
    Q_OBJECT
public:
    ChoiceDelegate(const QStringList &choices, int problemRole, QObject *parent);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override;

private:
    QStringList m_choices;
};

} // namespace spawnlab
