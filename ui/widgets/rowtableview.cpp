// SPDX-License-Identifier: GPL-3.0-or-later
#include "rowtableview.h"

#include <QHeaderView>
#include <QTableView>

namespace spawnlab {

QTableView *rowTableView(QWidget *parent, QAbstractItemModel *model)
{
    auto *view = new QTableView(parent);
    if (model) view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    return view;
}

} // namespace spawnlab
