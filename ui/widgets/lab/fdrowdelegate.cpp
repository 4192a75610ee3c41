// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/fdrowdelegate.h"

#include "rowtableview.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QTableView>

namespace spawnlab {
namespace {

// `amount` of `hue` over the palette's base: pale on light, deep on dark.
QColor mixed(const QPalette &palette, QColor hue, double amount)
{
    const QColor base = palette.color(QPalette::Base);
    return QColor::fromRgbF(float(base.redF() * (1 - amount) + hue.redF() * amount),
                            float(base.greenF() * (1 - amount) + hue.greenF() * amount),
                            float(base.blueF() * (1 - amount) + hue.blueF() * amount));
}

} // namespace

QColor changeTint(FdChange change, const QPalette &palette)
{
    switch (change) {
    case FdChange::Added:
        return mixed(palette, QColor(0x2e, 0xa0, 0x43), 0.28);
    case FdChange::Closed:
        return mixed(palette, QColor(0xd7, 0x3a, 0x49), 0.28);
    case FdChange::Changed:
        return mixed(palette, QColor(0xd4, 0xa7, 0x2c), 0.32);
    case FdChange::Kept:
        break;
    }
    return palette.color(QPalette::Base);
}

QColor leakTint(const QPalette &palette)
{
    return mixed(palette, QColor(0xe3, 0x62, 0x09), 0.30);
}

QColor sameFileTint(const QPalette &palette)
{
    return mixed(palette, palette.color(QPalette::Highlight), 0.45);
}

QTableView *fdTableView(QWidget *parent)
{
    QTableView *view = rowTableView(parent);
    view->setTextElideMode(Qt::ElideMiddle);
    return view;
}

FdRowDelegate::FdRowDelegate(const FdRowRoles &roles, QObject *parent)
    : QStyledItemDelegate(parent), m_roles(roles)
{
}

void FdRowDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QPalette &palette = option->palette;
    const bool leak = m_roles.leak >= 0 && !index.data(m_roles.leak).toString().isEmpty();
    const int change = m_roles.change >= 0 ? index.data(m_roles.change).toInt() : -1;
    if (m_roles.sameFile >= 0 && index.data(m_roles.sameFile).toBool()) {
        option->backgroundBrush = sameFileTint(palette);
        option->font.setBold(true);
    } else if (leak) {
        option->backgroundBrush = leakTint(palette);
    } else if (change >= 0 && FdChange(change) != FdChange::Kept) {
        option->backgroundBrush = changeTint(FdChange(change), palette);
    }
    if (m_roles.present >= 0 && !index.data(m_roles.present).toBool()) {
        option->font.setStrikeOut(true);
        option->palette.setColor(QPalette::Text, palette.color(QPalette::PlaceholderText));
    }
    if (leak && index.column() == 0) {
        const QStyle *style = option->widget ? option->widget->style() : QApplication::style();
        option->icon = style->standardIcon(QStyle::SP_MessageBoxWarning);
        option->features |= QStyleOptionViewItem::HasDecoration;
    }
}

} // namespace spawnlab
