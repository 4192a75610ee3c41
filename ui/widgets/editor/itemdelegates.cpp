// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/itemdelegates.h"

#include <QApplication>
#include <QComboBox>
#include <QStyle>

namespace spawnlab {

ProblemDelegate::ProblemDelegate(int problemRole, QObject *parent)
    : QStyledItemDelegate(parent), m_role(problemRole)
{
}

void ProblemDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.column() != 0 || index.data(m_role).toString().isEmpty()) return;
    const QStyle *style = option->widget ? option->widget->style() : QApplication::style();
    option->icon = style->standardIcon(QStyle::SP_MessageBoxWarning);
    option->features |= QStyleOptionViewItem::HasDecoration;
}

ChoiceDelegate::ChoiceDelegate(const QStringList &choices, int problemRole, QObject *parent)
    : ProblemDelegate(problemRole, parent), m_choices(choices)
{
}

QWidget *ChoiceDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    Q_UNUSED(option);
    Q_UNUSED(index);
    auto *combo = new QComboBox(parent);
    combo->addItems(m_choices);
    // One pick is one edit: commit at once instead of waiting for focus-out.
    connect(combo, &QComboBox::activated, this,
            [this, combo] { Q_EMIT const_cast<ChoiceDelegate *>(this)->commitData(combo); });
    return combo;
}

void ChoiceDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    static_cast<QComboBox *>(editor)->setCurrentText(index.data(Qt::EditRole).toString());
}

void ChoiceDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                  const QModelIndex &index) const
{
    model->setData(index, static_cast<QComboBox *>(editor)->currentText(), Qt::EditRole);
}

} // namespace spawnlab
