// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/accounts.h"

#include <QRegularExpression>

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <optional>

namespace spawnlab {
namespace {

void sortById(QList<Account> &list)
{
    std::sort(list.begin(), list.end(),
              [](const Account &a, const Account &b) { return a.id < b.id; });
}

// The id in "name (id)" or "id", or the name's id from `lookup`.
template <typename F> std::optional<quint32> parseAccount(const QString &text, F lookup)
{
    static const QRegularExpression withId(QStringLiteral("^\\s*(?:\\S+\\s*\\()?(\\d+)\\)?\\s*$"));
    if (const auto m = withId.match(text); m.hasMatch()) {
        bool ok = false;
        const quint32 id = m.captured(1).toUInt(&ok);
        if (ok && id != quint32(-1)) return id;
        return std::nullopt;
    }
    return lookup(text.trimmed().toLocal8Bit());
}

} // namespace

QList<Account> allUsers()
{
    QList<Account> users;
    setpwent();
    while (passwd *p = getpwent())
        users.append({p->pw_uid, QString::fromLocal8Bit(p->pw_name)});
    endpwent();
    sortById(users);
    return users;
}

QList<Account> allGroups()
{
    QList<Account> groups;
    setgrent();
    while (group *g = getgrent())
        groups.append({g->gr_gid, QString::fromLocal8Bit(g->gr_name)});
    endgrent();
    sortById(groups);
    return groups;
}

QString userName(uid_t uid)
{
    const passwd *p = getpwuid(uid);
    return p ? QString::fromLocal8Bit(p->pw_name) : QString();
}

QString groupName(gid_t gid)
{
    const group *g = getgrgid(gid);
    return g ? QString::fromLocal8Bit(g->gr_name) : QString();
}

std::optional<quint32> parseUser(const QString &text)
{
    return parseAccount(text, [](const QByteArray &name) -> std::optional<quint32> {
        const passwd *p = getpwnam(name.constData());
        return p ? std::optional<quint32>(p->pw_uid) : std::nullopt;
    });
}

std::optional<quint32> parseGroup(const QString &text)
{
    return parseAccount(text, [](const QByteArray &name) -> std::optional<quint32> {
        const group *g = getgrnam(name.constData());
        return g ? std::optional<quint32>(g->gr_gid) : std::nullopt;
    });
}

} // namespace spawnlab
