// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/childenvironment.h"

#include "qs.h"

#include "spawnlab/environment.h"

#include <QDir>
#include <QFileInfo>

#include <unistd.h>

extern char **environ;

namespace spawnlab {
namespace {

QString nameOf(const QString &entry)
{
    return entry.left(entry.indexOf(u'='));
}

// Like execve: a regular file with an execute bit for us.
bool runnable(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && access(QFile::encodeName(path).constData(), X_OK) == 0;
}

} // namespace

QStringList parentEnvironment()
{
    QStringList env;
    for (char **e = environ; e && *e; ++e)
        env << QString::fromLocal8Bit(*e);
    env.sort();
    return env;
}

QStringList childEnvironment(const EnvSpec &spec, const QStringList &parentEnv)
{
    QStringList env;
    for (const QString &entry : parentEnv)
        if (inheritsVariable(spec, entry.toStdString())) env << entry;
    for (const auto &[name, value] : spec.set)
        env << qs(name) + u'=' + qs(value);
    env.sort();
    return env;
}

QString variableIn(const QStringList &env, const QString &name, bool *found)
{
    for (const QString &e : env)
        if (nameOf(e) == name && e.size() > name.size()) {
            if (found) *found = true;
            return e.mid(name.size() + 1);
        }
    if (found) *found = false;
    return {};
}

ExecutableLookup lookUpExecutable(const SpawnPlan &plan, const QStringList &parentEnv)
{
    ExecutableLookup out;
    out.program = qs(!plan.executable.empty() ? plan.executable
                     : plan.argv.empty()      ? ""
                                              : plan.argv.front());
    if (out.program.isEmpty()) {
        out.summary = QStringLiteral("No program: argv[0] is empty.");
        return out;
    }
    const QDir childCwd(plan.cwd.empty() ? QDir::currentPath() : qs(plan.cwd));
    if (out.program.contains(u'/')) {
        out.tried << out.program;
        if (runnable(childCwd.absoluteFilePath(out.program))) {
            out.resolved = out.program;
            out.summary =
                QStringLiteral("Runs %1 as given (a path: PATH is not searched).").arg(out.program);
        } else {
            out.summary = QStringLiteral("%1 is not an executable file here: execve will fail.")
                              .arg(out.program);
        }
        return out;
    }
    bool found = false;
    const QStringList env = childEnvironment(plan.env, parentEnv);
    const std::string path = variableIn(env, QStringLiteral("PATH"), &found).toStdString();
    const std::vector<std::string> candidates =
        execCandidates(out.program.toStdString(), found ? path.c_str() : nullptr);
    for (const std::string &c : candidates) {
        const QString candidate = qs(c);
        out.tried << candidate;
        if (runnable(childCwd.absoluteFilePath(candidate))) {
            out.resolved = candidate;
            break;
        }
    }
    const QString where = found
                              ? QStringLiteral("the child's PATH")
                              : QStringLiteral("the default /bin:/usr/bin (the child has no PATH)");
    if (out.resolved.isEmpty())
        out.summary = QStringLiteral("%1 is not on %2: execve will fail with ENOENT.")
                          .arg(out.program, where);
    else
        out.summary = QStringLiteral("%1 → %2 (entry %3 of %4 on %5)")
                          .arg(out.program, out.resolved)
                          .arg(out.tried.size())
                          .arg(candidates.size())
                          .arg(where);
    return out;
}

} // namespace spawnlab
