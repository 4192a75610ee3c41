// SPDX-License-Identifier: GPL-3.0-or-later
#include "probe_run.h"

#include "spawnlab/names.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace spawnlab::test {

QString probePath()
{
    return helperPath("spawnlab-probe");
}

void addStrategyRows()
{
    QTest::addColumn<int>("strategy");
    for (Strategy s : {Strategy::Fork, Strategy::Vfork, Strategy::CloneVm, Strategy::PosixSpawn})
        QTest::newRow(std::string(strategyName(s)).c_str()) << int(s);
}

Strategy strategyFromData()
{
    return Strategy(*static_cast<int *>(QTest::qData("strategy", qMetaTypeId<int>())));
}

QMap<int, QString> ProbeRun::fds() const
{
    QMap<int, QString> out;
    const QJsonObject fds = report.value("fds").toObject();
    for (auto it = fds.begin(); it != fds.end(); ++it)
        out.insert(it.key().toInt(), it.value().toObject().value("target").toString());
    return out;
}

QString ProbeRun::status(const QString &key) const
{
    return report.value("status").toObject().value(key).toString();
}

quint64 ProbeRun::statusMask(const QString &key) const
{
    return status(key).toULongLong(nullptr, 16);
}

ProbeFixture::ProbeFixture() : dir_(reachableTempPath() + QStringLiteral("/spawnlab-probe-XXXXXX"))
{
    // Children that change uid must still be able to write their report here.
    QFile::setPermissions(dir_.path(), QFileDevice::Permissions(0x7777));
}

SpawnPlan ProbeFixture::plan(Strategy strategy, const QStringList &extraArgs) const
{
    SpawnPlan plan;
    plan.strategy = strategy;
    plan.argv = {probePath().toStdString(), path("report.json").toStdString()};
    for (const auto &arg : extraArgs)
        plan.argv.push_back(arg.toStdString());
    plan.timeoutMs = 60000; // a hung child fails the test instead of hanging it
    return plan;
}

ProbeRun ProbeFixture::run(const SpawnPlan &plan) const
{
    QFile::remove(path("report.json"));
    return collect(spawnlab::run(plan));
}

ProbeRun ProbeFixture::run(const PreparedPlan &plan) const
{
    QFile::remove(path("report.json"));
    return collect(plan.run());
}

ProbeRun ProbeFixture::collect(RunResult result) const
{
    ProbeRun out;
    out.result = std::move(result);
    QFile report(path("report.json"));
    if (report.open(QIODevice::ReadOnly))
        out.report = QJsonDocument::fromJson(report.readAll()).object();
    return out;
}

StdioSwap::StdioSwap(int in, int out, int err)
{
    for (int fd = 0; fd < 3; ++fd)
        saved_[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 100);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
}

StdioSwap::~StdioSwap()
{
    for (int fd = 0; fd < 3; ++fd) {
        dup2(saved_[fd], fd);
        close(saved_[fd]);
    }
}

int openFdCount()
{
    return int(QDir("/proc/self/fd").entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size());
}

bool hasZombieChild()
{
    siginfo_t info{};
    return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0;
}

} // namespace spawnlab::test
