// SPDX-License-Identifier: GPL-3.0-or-later
// The table every list of records in spawnlab is shown in (fds, processes,
// findings): rows selected whole and one at a time, edited elsewhere if at
// all, no row numbers, one line per row a little taller than the text, the
// last column stretched.
#pragma once

class QAbstractItemModel;
class QTableView;
class QWidget;

namespace spawnlab {

QTableView *rowTableView(QWidget *parent, QAbstractItemModel *model = nullptr);

} // namespace spawnlab
