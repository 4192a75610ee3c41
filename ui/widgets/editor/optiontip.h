// SPDX-License-Identifier: GPL-3.0-or-later
// Tooltips for plan options come from one table (ui/model/explain/optionhelp).
#pragma once

#include "explain/optionhelp.h"

#include <QWidget>

namespace spawnlab {

inline void setOptionTip(QWidget *widget, const char *key)
{
    const QString help = optionHelp(QString::fromLatin1(key));
    widget->setToolTip(help);
    widget->setWhatsThis(help);
}

} // namespace spawnlab
