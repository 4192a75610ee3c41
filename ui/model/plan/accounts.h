// SPDX-License-Identifier: GPL-3.0-or-later
// Names for ids from the system's user and group databases (getpwent,
// getgrent: files, NSS), for the credentials editor.
#pragma once

#include <QList>
#include <QString>

#include <optional>

#include <sys/types.h>

namespace spawnlab {

struct Account {
    quint32 id = 0;
    QString name;
};

QList<Account> allUsers();   // sorted by id
QList<Account> allGroups();  // sorted by id
QString userName(uid_t uid); // "" when the database does not know it
QString groupName(gid_t gid);
// "1000", "alice" or "alice (1000)" -> the id; nullopt if neither.
std::optional<quint32> parseUser(const QString &text);
std::optional<quint32> parseGroup(const QString &text);

} // namespace spawnlab
