// SPDX-License-Identifier: GPL-3.0-or-later
// Paints fd rows so a diff reads at a glance: added / closed / changed rows
// and leak risks get a tint, closed fds are struck out, the selected open file
// is highlighted wherever it appears. Tints are mixed from the palette's base
// colour, so they stay readable in light and dark themes; text keeps the
// palette's colour.
#pragma once

#include "spawnlab/fddiff.h"

#include <QStyledItemDelegate>

class QTableView;

namespace spawnlab {

struct FdRowRoles {
    int change = -1;   // int FdChange, -1 for none
    int present = -1;  // bool, false: struck out
    int leak = -1;     // QString, non-empty: leak tint and warning icon
    int sameFile = -1; // bool: highlighted
};

// A table view as fd tables are shown: a rowTableView with the target
// elided in the middle.
QTableView *fdTableView(QWidget *parent);

QColor changeTint(FdChange change, const QPalette &palette);
QColor leakTint(const QPalette &palette);
QColor sameFileTint(const QPalette &palette);

class FdRowDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    FdRowDelegate(const FdRowRoles &roles, QObject *parent);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    FdRowRoles m_roles;
};

} // namespace spawnlab
