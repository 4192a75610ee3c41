// SPDX-License-Identifier: GPL-3.0-or-later
// Indented JSON for people: keys in a given order (QJsonDocument sorts them) and
// lists or objects of plain values on one line, so an fd entry or a trace step
// reads as one row.
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QStringList>

namespace spawnlab {

// Keys in `keyOrder` come first, in that order; any others follow alphabetically.
QByteArray indentedJson(const QJsonValue &value, const QStringList &keyOrder);

} // namespace spawnlab
