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

// An editor field in one call: its object name (tests and the GUI's settings
// find it by that) and its option's tooltip. Returns the widget.
template <class Widget> Widget *optionField(Widget *widget, const char *objectName, const char *key)
{
    widget->setObjectName(QLatin1String(objectName));
    setOptionTip(widget, key);
    return widget;
}

} // namespace spawnlab
