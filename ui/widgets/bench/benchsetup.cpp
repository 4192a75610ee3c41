// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/benchsetup.h"
#include "qs.h"

#include "problemlabel.h"

#include "spawnlab/bench.h"
#include "spawnlab/names.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace spawnlab {
namespace {

QStringList checkedNames(const QList<QCheckBox *> &boxes)
{
    QStringList names;
    for (QCheckBox *box : boxes)
        if (box->isChecked()) names << box->objectName();
    return names;
}

QSpinBox *countBox(int min, int max, int value, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setValue(value);
    return box;
}

} // namespace

std::optional<QList<qint64>> parseNumberList(const QString &text, qint64 min, QString *problem)
{
    QList<qint64> values;
    const QStringList items = text.split(u',');
    for (const QString &raw : items) {
        const QString item = raw.trimmed();
        bool ok = false;
        const qint64 v = item.toLongLong(&ok);
        if (!ok || v < min) {
            *problem = item.isEmpty()
                           ? QObject::tr("an empty item; write numbers separated by commas")
                           : QObject::tr("\"%1\" is not a whole number >= %2").arg(item).arg(min);
            return std::nullopt;
        }
        values << v;
    }
    return values;
}

BenchSetup::BenchSetup(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(createRssGroup());
    layout->addWidget(createCloseFdsGroup());

    auto *targetBox = new QGroupBox(tr("Program exec'd by every sample"), this);
    auto *targetRow = new QHBoxLayout(targetBox);
    m_target = new QLineEdit(targetBox);
    m_target->setObjectName(QStringLiteral("target"));
    m_target->setPlaceholderText(tr("spawnlab-noop (static, does nothing)"));
    m_target->setToolTip(tr("Any executable; empty for spawnlab-noop, built with spawnlab, "
                            "so that what is timed is the spawn and not the program; \"floor\" "
                            "for spawnlab-noop-floor, which has no libc at all"));
    auto *browse = new QToolButton(targetBox);
    browse->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
    browse->setToolTip(tr("Choose the program"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Program to exec"));
        if (!path.isEmpty()) m_target->setText(path);
    });
    auto *floor = new QToolButton(targetBox);
    floor->setObjectName(QStringLiteral("floorTarget"));
    floor->setText(tr("No libc"));
    floor->setToolTip(tr("spawnlab-noop-floor: exits by a raw syscall with no libc start-up "
                         "(glibc's costs ~300 µs on a VM), so the core's own cost shows"));
    connect(floor, &QToolButton::clicked, this,
            [this] { m_target->setText(QStringLiteral("floor")); });
    targetRow->addWidget(m_target, 1);
    targetRow->addWidget(floor);
    targetRow->addWidget(browse);
    layout->addWidget(targetBox);
    layout->addWidget(new ProblemLabel({QStringLiteral("target")}, this, m_target));
    layout->addStretch(1);
    connect(m_target, &QLineEdit::textChanged, this, &BenchSetup::updateState);
    updateState();
}

QWidget *BenchSetup::createRssGroup()
{
    auto *box = new QGroupBox(tr("Latency against the parent's RSS"), this);
    auto *form = new QFormLayout(box);
    auto *grid = new QGridLayout;
    int i = 0;
    for (const std::string &name : bench::knownStrategies()) {
        auto *check = new QCheckBox(qs(name), box);
        check->setObjectName(qs(name));
        check->setChecked(true);
        check->setToolTip(
            bench::isRawStrategy(name)
                ? tr("Baseline: bare %1 + execve + waitpid, nothing else").arg(qs(name.substr(4)))
                : tr("spawnlab's own %1 path with a realistic plan (stdio on "
                     "/dev/null, close_fds on)")
                      .arg(qs(name)));
        grid->addWidget(check, i / 2, i % 2);
        m_strategies << check;
        connect(check, &QCheckBox::toggled, this, &BenchSetup::updateState);
        ++i;
    }
    form->addRow(tr("Strategies"), grid);
    m_sizes = new QLineEdit(QStringLiteral("0,256,1024,4096"), box);
    m_sizes->setObjectName(QStringLiteral("sizes"));
    m_sizes->setToolTip(tr("Ballast sizes in MiB: the worker allocates and dirties this much "
                           "memory before it samples, and reports the VmRSS it measured"));
    form->addRow(tr("Sizes (MiB)"), m_sizes);
    form->addRow(new ProblemLabel({QStringLiteral("rss.sizes")}, box, m_sizes));
    m_rssRuns = countBox(1, 1000000, 200, box);
    m_rssRuns->setToolTip(tr("Samples per strategy and size"));
    form->addRow(tr("Runs"), m_rssRuns);
    m_passes = countBox(1, 20, 2, box);
    m_passes->setToolTip(tr("Visit every size this many times, up and down, each visit taking "
                            "its share of the runs, so drift hits every size alike"));
    form->addRow(tr("Passes"), m_passes);
    m_thp = new QComboBox(box);
    m_thp->addItems({QStringLiteral("default"), QStringLiteral("on"), QStringLiteral("off")});
    m_thp->setToolTip(tr("Transparent huge pages for the ballast: the system's setting, "
                         "MADV_HUGEPAGE or MADV_NOHUGEPAGE. Huge pages make fork's page-table "
                         "copy far cheaper"));
    form->addRow(tr("Huge pages"), m_thp);
    form->addRow(new ProblemLabel({QStringLiteral("rss.strategies")}, box));
    m_runRss =
        new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Run RSS series"), box);
    m_runRss->setObjectName(QStringLiteral("runRss"));
    form->addRow(m_runRss);
    connect(m_runRss, &QPushButton::clicked, this, &BenchSetup::runRssRequested);
    connect(m_sizes, &QLineEdit::textChanged, this, &BenchSetup::updateState);
    return box;
}

QWidget *BenchSetup::createCloseFdsGroup()
{
    auto *box = new QGroupBox(tr("close_fds cost"), this);
    auto *form = new QFormLayout(box);
    m_closeStrategy = new QComboBox(box);
    m_closeStrategy->addItems(
        {QStringLiteral("clone_vm"), QStringLiteral("vfork"), QStringLiteral("fork")});
    m_closeStrategy->setToolTip(tr("posix_spawn has no close method of its own to compare"));
    form->addRow(tr("Strategy"), m_closeStrategy);
    auto *methods = new QHBoxLayout;
    for (CloseMethod method : kCloseMethods) {
        if (method == CloseMethod::Auto) continue; // the benchmark compares each one itself
        const QString m = qs(closeMethodName(method));
        auto *check = new QCheckBox(m, box);
        check->setObjectName(m);
        check->setChecked(true);
        methods->addWidget(check);
        m_methods << check;
        connect(check, &QCheckBox::toggled, this, &BenchSetup::updateState);
    }
    m_methods[0]->setToolTip(tr("close_range(2): one system call for every gap"));
    m_methods[1]->setToolTip(tr("getdents64 on /proc/self/fd: one close per open fd"));
    m_methods[2]->setToolTip(tr("close() on every number up to RLIMIT_NOFILE"));
    form->addRow(tr("Methods"), methods);
    m_openFds = new QLineEdit(QStringLiteral("10,100,1000,10000,100000"), box);
    m_openFds->setToolTip(tr("fds the spawning process holds open (it dups them, raising "
                             "RLIMIT_NOFILE as needed)"));
    form->addRow(tr("Open fds"), m_openFds);
    form->addRow(new ProblemLabel({QStringLiteral("close_fds.open_fds")}, box, m_openFds));
    m_nofile = new QLineEdit(QStringLiteral("1024,4096,16384,65536,262144,1048576"), box);
    m_nofile->setToolTip(tr("RLIMIT_NOFILE values; above the hard limit needs root (the "
                            "worker says so and measures at the hard limit)"));
    form->addRow(tr("RLIMIT_NOFILE"), m_nofile);
    form->addRow(new ProblemLabel({QStringLiteral("close_fds.nofile")}, box, m_nofile));
    m_closeRuns = countBox(3, 100000, 50, box);
    form->addRow(tr("Runs"), m_closeRuns);
    form->addRow(new ProblemLabel({QStringLiteral("close_fds.methods")}, box));
    m_runCloseFds = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay),
                                    tr("Run close_fds series"), box);
    m_runCloseFds->setObjectName(QStringLiteral("runCloseFds"));
    form->addRow(m_runCloseFds);
    connect(m_runCloseFds, &QPushButton::clicked, this, &BenchSetup::runCloseFdsRequested);
    connect(m_openFds, &QLineEdit::textChanged, this, &BenchSetup::updateState);
    connect(m_nofile, &QLineEdit::textChanged, this, &BenchSetup::updateState);
    return box;
}

QCheckBox *BenchSetup::strategyBox(const QString &name) const
{
    for (QCheckBox *box : m_strategies)
        if (box->objectName() == name) return box;
    return nullptr;
}

BenchRequest BenchSetup::rssRequest() const
{
    BenchRequest r;
    r.series = QStringLiteral("rss");
    r.strategies = checkedNames(m_strategies);
    QString ignored;
    for (qint64 v : parseNumberList(m_sizes->text(), 0, &ignored).value_or(QList<qint64>{}))
        r.sizesMb << quint64(v);
    r.runs = m_rssRuns->value();
    r.passes = m_passes->value();
    r.thp = m_thp->currentText();
    r.target = m_target->text().trimmed();
    return r;
}

BenchRequest BenchSetup::closeFdsRequest() const
{
    BenchRequest r;
    r.series = QStringLiteral("close_fds");
    r.strategies = {m_closeStrategy->currentText()};
    r.closeMethods = checkedNames(m_methods);
    QString ignored;
    r.openFds = parseNumberList(m_openFds->text(), 1, &ignored).value_or(QList<qint64>{});
    r.nofile = parseNumberList(m_nofile->text(), 16, &ignored).value_or(QList<qint64>{});
    r.runs = m_closeRuns->value();
    r.target = m_target->text().trimmed();
    return r;
}

QList<PlanIssue> BenchSetup::problems() const
{
    QList<PlanIssue> out;
    QString why;
    if (const auto sizes = parseNumberList(m_sizes->text(), 0, &why); !sizes) {
        out.append({QStringLiteral("rss.sizes"), why});
    } else {
        const quint64 most = bench::maxBallastMib();
        for (qint64 mib : *sizes)
            if (quint64(mib) > most) {
                out.append({QStringLiteral("rss.sizes"),
                            tr("%1 MiB is more than this machine can hold now (at most %2 MiB: "
                               "MemAvailable less room for the children)")
                                .arg(mib)
                                .arg(most)});
                break;
            }
    }
    if (checkedNames(m_strategies).isEmpty())
        out.append({QStringLiteral("rss.strategies"), tr("choose at least one strategy")});
    if (!parseNumberList(m_openFds->text(), 1, &why))
        out.append({QStringLiteral("close_fds.open_fds"), why});
    if (!parseNumberList(m_nofile->text(), 16, &why))
        out.append({QStringLiteral("close_fds.nofile"), why});
    if (checkedNames(m_methods).isEmpty())
        out.append({QStringLiteral("close_fds.methods"), tr("choose at least one close method")});
    const QString target = m_target->text().trimmed();
    if (!target.isEmpty())
        if (const std::string bad = bench::checkTarget(bench::resolveTarget(target.toStdString()));
            !bad.empty())
            out.append({QStringLiteral("target"), qs(bad)});
    return out;
}

void BenchSetup::setRunning(bool running)
{
    m_running = running;
    updateState();
}

void BenchSetup::updateState()
{
    const QList<PlanIssue> all = problems();
    showProblemsIn(this, all);
    auto blocked = [&](const QString &series) {
        return std::any_of(all.begin(), all.end(), [&](const PlanIssue &p) {
            return p.field.startsWith(series) || p.field == u"target";
        });
    };
    m_runRss->setEnabled(!m_running && !blocked(QStringLiteral("rss.")));
    m_runCloseFds->setEnabled(!m_running && !blocked(QStringLiteral("close_fds.")));
}

void BenchSetup::saveSettings(QSettings &s) const
{
    s.setValue(QStringLiteral("strategies"), checkedNames(m_strategies));
    s.setValue(QStringLiteral("sizesMb"), m_sizes->text());
    s.setValue(QStringLiteral("runs"), m_rssRuns->value());
    s.setValue(QStringLiteral("passes"), m_passes->value());
    s.setValue(QStringLiteral("thp"), m_thp->currentText());
    s.setValue(QStringLiteral("closeStrategy"), m_closeStrategy->currentText());
    s.setValue(QStringLiteral("closeMethods"), checkedNames(m_methods));
    s.setValue(QStringLiteral("openFds"), m_openFds->text());
    s.setValue(QStringLiteral("nofile"), m_nofile->text());
    s.setValue(QStringLiteral("closeRuns"), m_closeRuns->value());
    s.setValue(QStringLiteral("target"), m_target->text());
}

void BenchSetup::restoreSettings(const QSettings &s)
{
    auto restoreChecks = [&](const QList<QCheckBox *> &boxes, const QString &key) {
        if (!s.contains(key)) return;
        const QStringList on = s.value(key).toStringList();
        for (QCheckBox *box : boxes)
            box->setChecked(on.contains(box->objectName()));
    };
    auto restoreText = [&](QLineEdit *edit, const QString &key) {
        if (s.contains(key)) edit->setText(s.value(key).toString());
    };
    auto restoreCount = [&](QSpinBox *box, const QString &key) {
        if (s.contains(key)) box->setValue(s.value(key).toInt());
    };
    auto restoreChoice = [&](QComboBox *box, const QString &key) {
        const int at = box->findText(s.value(key).toString());
        if (at >= 0) box->setCurrentIndex(at);
    };
    restoreChecks(m_strategies, QStringLiteral("strategies"));
    restoreText(m_sizes, QStringLiteral("sizesMb"));
    restoreCount(m_rssRuns, QStringLiteral("runs"));
    restoreCount(m_passes, QStringLiteral("passes"));
    restoreChoice(m_thp, QStringLiteral("thp"));
    restoreChoice(m_closeStrategy, QStringLiteral("closeStrategy"));
    restoreChecks(m_methods, QStringLiteral("closeMethods"));
    restoreText(m_openFds, QStringLiteral("openFds"));
    restoreText(m_nofile, QStringLiteral("nofile"));
    restoreCount(m_closeRuns, QStringLiteral("closeRuns"));
    restoreText(m_target, QStringLiteral("target"));
    updateState();
}

} // namespace spawnlab
