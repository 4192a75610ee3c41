// SPDX-License-Identifier: GPL-3.0-or-later
// qcustomplot.h uses Qt's keywords (signals, slots, emit, foreach), which this
// project turns off (QT_NO_KEYWORDS: SpawnPlan has a member named `signals`).
// They are defined for that one header only.
#pragma once

#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
