// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/benchsetup.h"
#include "qs.h"

#include "problemlabel.h"

#include "spawnlab/bench.h"
#include "spawnlab/names.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace spawnlab {
namespace {

QStringList checkedNames(const QList<QCheckBox *> &boxes)
{
    QStringList names;
    for (QCheckBox *box : boxes)
        if (box->isChecked()) names << box->objectName();
    return names;
}

QCheckBox *boxNamed(const QList<QCheckBox *> &boxes, const QString &name)
{
    for (QCheckBox *box : boxes)
        if (box->objectName() == name) return box;
    return nullptr;
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
    layout->addWidget(createMemoryGroup());
    layout->addWidget(createThreadsGroup());
    layout->addWidget(createRuntimesGroup());
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
    const bench::RssConfig rss; // the defaults shown
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
    m_sizes = new QLineEdit(qsNumberList(rss.sizesMb), box);
    m_sizes->setObjectName(QStringLiteral("sizes"));
    m_sizes->setToolTip(tr("Ballast sizes in MiB: the worker allocates and dirties this much "
                           "memory before it samples, and reports the VmRSS it measured"));
    form->addRow(tr("Sizes (MiB)"), m_sizes);
    form->addRow(new ProblemLabel({QStringLiteral("rss.sizes")}, box, m_sizes));
    m_rssRuns = countBox(1, 1000000, rss.runs, box);
    m_rssRuns->setToolTip(tr("Samples per strategy and size"));
    form->addRow(tr("Runs"), m_rssRuns);
    m_passes = countBox(1, 20, rss.passes, box);
    m_passes->setToolTip(tr("Visit every size this many times, up and down, each visit taking "
                            "its share of the runs, so drift hits every size alike"));
    form->addRow(tr("Passes"), m_passes);
    m_thp = new QComboBox(box);
    for (const bench::Thp thp : {bench::Thp::Default, bench::Thp::On, bench::Thp::Off})
        m_thp->addItem(qs(bench::thpName(thp)));
    m_thp->setToolTip(tr("Transparent huge pages for the ballast: the system's setting, "
                         "MADV_HUGEPAGE or MADV_NOHUGEPAGE. Huge pages make fork's page-table "
                         "copy far cheaper"));
    form->addRow(tr("Huge pages"), m_thp);
    form->addRow(new ProblemLabel({QStringLiteral("rss.strategies")}, box));
    m_runRss = runButtonFor(QStringLiteral("rss"), tr("Run RSS series"), box);
    form->addRow(m_runRss);
    connect(m_sizes, &QLineEdit::textChanged, this, &BenchSetup::updateState);
    return box;
}

QPushButton *BenchSetup::runButtonFor(const QString &series, const QString &text, QWidget *parent)
{
    auto *button = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), text, parent);
    button->setObjectName(QStringLiteral("run:") + series);
    connect(button, &QPushButton::clicked, this, [this, series] { Q_EMIT runRequested(series); });
    return button;
}

QWidget *BenchSetup::createMemoryGroup()
{
    auto *box = new QGroupBox(tr("The parent's memory shape"), this);
    auto *form = new QFormLayout(box);
    auto *shapes = new QHBoxLayout;
    for (const bench::MemoryShape shape : bench::kMemoryShapes) {
        const QString name = qs(bench::memoryShapeName(shape));
        auto *check = new QCheckBox(name, box);
        check->setObjectName(name);
        check->setChecked(true);
        shapes->addWidget(check);
        m_shapes << check;
        connect(check, &QCheckBox::toggled, this, &BenchSetup::updateState);
    }
    m_shapes[0]->setToolTip(tr("One mapping, every page written: resident, page tables filled"));
    m_shapes[1]->setToolTip(tr("MAP_NORESERVE, never touched: no page tables to copy at all"));
    m_shapes[2]->setToolTip(tr("The size split into many small mappings, every page written: "
                               "fork copies each VMA"));
    form->addRow(tr("Shapes"), shapes);
    m_vmas = countBox(1, 60000, bench::RssConfig().vmaCount, box);
    m_vmas->setObjectName(QStringLiteral("vmas"));
    m_vmas->setToolTip(tr("How many mappings the vmas shape has (vm.max_map_count is 65530 by "
                          "default)"));
    form->addRow(tr("Mappings"), m_vmas);
    form->addRow(new ProblemLabel({QStringLiteral("memory.shapes")}, box));
    auto *uses = new QLabel(tr("Strategies, sizes, runs, passes and huge pages: as above."), box);
    uses->setWordWrap(true);
    form->addRow(uses);
    m_runMemory = runButtonFor(QStringLiteral("memory"), tr("Run memory series"), box);
    form->addRow(m_runMemory);
    return box;
}

QWidget *BenchSetup::createThreadsGroup()
{
    const bench::ThreadsConfig threads; // the defaults shown
    auto *box = new QGroupBox(tr("Threads spawning at once"), this);
    auto *form = new QFormLayout(box);
    m_threads = new QLineEdit(qsNumberList(threads.threads), box);
    m_threads->setObjectName(QStringLiteral("threads"));
    m_threads->setToolTip(tr("Threads of the worker that spawn at the same time, one point each"));
    form->addRow(tr("Threads"), m_threads);
    form->addRow(new ProblemLabel({QStringLiteral("threads.threads")}, box, m_threads));
    m_windows = countBox(1, 100000, threads.runs, box);
    m_windows->setObjectName(QStringLiteral("windows"));
    m_windows->setToolTip(tr("Windows per point: spawns per second is measured in each, and the "
                             "p10–p90 band spans them"));
    form->addRow(tr("Windows"), m_windows);
    m_windowSeconds = new QDoubleSpinBox(box);
    m_windowSeconds->setObjectName(QStringLiteral("windowSeconds"));
    m_windowSeconds->setRange(0.01, 60);
    m_windowSeconds->setDecimals(2);
    m_windowSeconds->setSingleStep(0.05);
    m_windowSeconds->setValue(threads.windowSeconds);
    m_windowSeconds->setSuffix(tr(" s"));
    m_windowSeconds->setToolTip(tr("How long every thread spawns in a loop in one window"));
    form->addRow(tr("Window"), m_windowSeconds);
    auto *uses = new QLabel(tr("Strategies: as above; no ballast."), box);
    form->addRow(uses);
    m_runThreads = runButtonFor(QStringLiteral("threads"), tr("Run threads series"), box);
    form->addRow(m_runThreads);
    connect(m_threads, &QLineEdit::textChanged, this, &BenchSetup::updateState);
    return box;
}

QWidget *BenchSetup::createRuntimesGroup()
{
    auto *box = new QGroupBox(tr("What your runtime pays"), this);
    auto *form = new QFormLayout(box);
    auto *row = new QHBoxLayout;
    for (const bench::RuntimeInfo &runtime : bench::runtimeInfos()) {
        const QString name = qs(runtime.name);
        auto *check = new QCheckBox(name, box);
        check->setObjectName(name);
        // One not installed would only be a note of the run's: unchecked here.
        const bool installed = !bench::findRuntime(runtime).empty();
        check->setChecked(installed);
        check->setToolTip(
            installed ? tr("%1, timed inside %2 by its driver").arg(qs(runtime.api), name)
                      : tr("%1 is not on PATH: not installed here").arg(qs(runtime.program)));
        row->addWidget(check);
        m_runtimes << check;
        connect(check, &QCheckBox::toggled, this, &BenchSetup::updateState);
    }
    form->addRow(tr("Runtimes"), row);
    form->addRow(new ProblemLabel({QStringLiteral("runtimes.runtimes")}, box));
    auto *uses = new QLabel(tr("Sizes and runs: as for the RSS series."), box);
    form->addRow(uses);
    m_runRuntimes = runButtonFor(QStringLiteral("runtimes"), tr("Run runtimes series"), box);
    form->addRow(m_runRuntimes);
    return box;
}

QWidget *BenchSetup::createCloseFdsGroup()
{
    const bench::CloseFdsConfig closeFds; // the defaults shown
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
        check->setChecked(std::ranges::count(closeFds.methods, closeMethodName(method)) > 0);
        methods->addWidget(check);
        m_methods << check;
        connect(check, &QCheckBox::toggled, this, &BenchSetup::updateState);
    }
    m_methods[0]->setToolTip(tr("close_range(2): one system call for every gap"));
    m_methods[1]->setToolTip(tr("getdents64 on /proc/self/fd: one close per open fd"));
    m_methods[2]->setToolTip(tr("close() on every number up to RLIMIT_NOFILE"));
    form->addRow(tr("Methods"), methods);
    m_openFds = new QLineEdit(qsNumberList(closeFds.openFds), box);
    m_openFds->setToolTip(tr("fds the spawning process holds open (it dups them, raising "
                             "RLIMIT_NOFILE as needed)"));
    form->addRow(tr("Open fds"), m_openFds);
    form->addRow(new ProblemLabel({QStringLiteral("close_fds.open_fds")}, box, m_openFds));
    m_nofile = new QLineEdit(qsNumberList(closeFds.nofile), box);
    m_nofile->setToolTip(tr("RLIMIT_NOFILE values; above the hard limit needs root (the "
                            "worker says so and measures at the hard limit)"));
    form->addRow(tr("RLIMIT_NOFILE"), m_nofile);
    form->addRow(new ProblemLabel({QStringLiteral("close_fds.nofile")}, box, m_nofile));
    m_closeRuns = countBox(3, 100000, closeFds.runs, box);
    form->addRow(tr("Runs"), m_closeRuns);
    form->addRow(new ProblemLabel({QStringLiteral("close_fds.methods")}, box));
    m_runCloseFds = runButtonFor(QStringLiteral("close_fds"), tr("Run close_fds series"), box);
    form->addRow(m_runCloseFds);
    connect(m_openFds, &QLineEdit::textChanged, this, &BenchSetup::updateState);
    connect(m_nofile, &QLineEdit::textChanged, this, &BenchSetup::updateState);
    return box;
}

QCheckBox *BenchSetup::strategyBox(const QString &name) const
{
    return boxNamed(m_strategies, name);
}

QCheckBox *BenchSetup::shapeBox(const QString &name) const
{
    return boxNamed(m_shapes, name);
}

QCheckBox *BenchSetup::runtimeBox(const QString &name) const
{
    return boxNamed(m_runtimes, name);
}

QPushButton *BenchSetup::runButton(const QString &series) const
{
    if (series == u"runtimes") return m_runRuntimes;
    if (series == u"rss") return m_runRss;
    if (series == u"memory") return m_runMemory;
    if (series == u"threads") return m_runThreads;
    if (series == u"close_fds") return m_runCloseFds;
    return nullptr;
}

BenchRequest BenchSetup::request(const QString &series) const
{
    if (series == u"memory") return memoryRequest();
    if (series == u"threads") return threadsRequest();
    if (series == u"runtimes") return runtimesRequest();
    if (series == u"close_fds") return closeFdsRequest();
    return rssRequest();
}

BenchRequest BenchSetup::memoryRequest() const
{
    BenchRequest r = rssRequest();
    r.series = QStringLiteral("memory");
    r.shapes = checkedNames(m_shapes);
    r.vmas = m_vmas->value();
    return r;
}

BenchRequest BenchSetup::runtimesRequest() const
{
    BenchRequest r = rssRequest();
    r.series = QStringLiteral("runtimes");
    r.strategies.clear();
    r.runtimes = checkedNames(m_runtimes);
    return r;
}

BenchRequest BenchSetup::threadsRequest() const
{
    BenchRequest r;
    r.series = QStringLiteral("threads");
    r.strategies = checkedNames(m_strategies);
    QString ignored;
    for (qint64 n : parseNumberList(m_threads->text(), 1, &ignored).value_or(QList<qint64>{}))
        r.threads << int(n);
    r.runs = m_windows->value();
    r.windowSeconds = m_windowSeconds->value();
    r.target = m_target->text().trimmed();
    return r;
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
    if (checkedNames(m_runtimes).isEmpty())
        out.append({QStringLiteral("runtimes.runtimes"), tr("choose at least one runtime")});
    if (checkedNames(m_shapes).isEmpty())
        out.append({QStringLiteral("memory.shapes"), tr("choose at least one shape")});
    if (const auto threads = parseNumberList(m_threads->text(), 1, &why); !threads)
        out.append({QStringLiteral("threads.threads"), why});
    else if (std::any_of(threads->begin(), threads->end(), [](qint64 n) { return n > 1024; }))
        out.append({QStringLiteral("threads.threads"), tr("at most 1024 threads")});
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
    const bool rssFine = !blocked(QStringLiteral("rss."));
    m_runRss->setEnabled(!m_running && rssFine);
    // The memory series takes the RSS group's fields, threads its strategies.
    m_runMemory->setEnabled(!m_running && rssFine && !blocked(QStringLiteral("memory.")));
    const bool strategies = !checkedNames(m_strategies).isEmpty();
    m_runThreads->setEnabled(!m_running && strategies && !blocked(QStringLiteral("threads.")));
    // Runtimes take the RSS group's sizes and runs, not its strategies.
    const bool sizesFine = std::none_of(all.begin(), all.end(), [](const PlanIssue &p) {
        return p.field == u"rss.sizes" || p.field == u"target";
    });
    m_runRuntimes->setEnabled(!m_running && sizesFine && !blocked(QStringLiteral("runtimes.")));
    m_runCloseFds->setEnabled(!m_running && !blocked(QStringLiteral("close_fds.")));
}

void BenchSetup::saveSettings(QSettings &s) const
{
    s.setValue(QStringLiteral("strategies"), checkedNames(m_strategies));
    s.setValue(QStringLiteral("sizesMb"), m_sizes->text());
    s.setValue(QStringLiteral("runs"), m_rssRuns->value());
    s.setValue(QStringLiteral("passes"), m_passes->value());
    s.setValue(QStringLiteral("thp"), m_thp->currentText());
    s.setValue(QStringLiteral("shapes"), checkedNames(m_shapes));
    s.setValue(QStringLiteral("vmas"), m_vmas->value());
    s.setValue(QStringLiteral("threads"), m_threads->text());
    s.setValue(QStringLiteral("windows"), m_windows->value());
    s.setValue(QStringLiteral("windowSeconds"), m_windowSeconds->value());
    s.setValue(QStringLiteral("runtimes"), checkedNames(m_runtimes));
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
    restoreChecks(m_shapes, QStringLiteral("shapes"));
    restoreCount(m_vmas, QStringLiteral("vmas"));
    restoreText(m_threads, QStringLiteral("threads"));
    restoreCount(m_windows, QStringLiteral("windows"));
    if (s.contains(QStringLiteral("windowSeconds")))
        m_windowSeconds->setValue(s.value(QStringLiteral("windowSeconds")).toDouble());
    restoreChecks(m_runtimes, QStringLiteral("runtimes"));
    restoreChoice(m_closeStrategy, QStringLiteral("closeStrategy"));
    restoreChecks(m_methods, QStringLiteral("closeMethods"));
    restoreText(m_openFds, QStringLiteral("openFds"));
    restoreText(m_nofile, QStringLiteral("nofile"));
    restoreCount(m_closeRuns, QStringLiteral("closeRuns"));
    restoreText(m_target, QStringLiteral("target"));
    updateState();
}

} // namespace spawnlab
