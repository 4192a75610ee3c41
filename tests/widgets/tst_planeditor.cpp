// SPDX-License-Identifier: GPL-3.0-or-later
// The plan editor: a plan built through the editor widgets (clicks, typing,
// table edits) equals the expected plan file; every example survives a trip
// through the editors unchanged; validation is live and marks the field, and
// so does a failed run's error.
#include "editor/argveditor.h"
#include "editor/credentialseditor.h"
#include "editor/environmenteditor.h"
#include "editor/fdeditor.h"
#include "editor/planeditor.h"
#include "editor/processeditor.h"
#include "editor/runsettingseditor.h"
#include "editor/signaleditor.h"
#include "models/envmodel.h"
#include "models/fdactionmodel.h"
#include "models/signalmodel.h"
#include "plan/plandocument.h"
#include "plancompare.h"
#include "problemlabel.h"

#include "spawnlab/launch.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace spawnlab;

namespace {

template <typename T> T *child(QWidget *parent, const char *name)
{
    T *w = parent->findChild<T *>(QString::fromLatin1(name));
    if (!w) qFatal("no widget named %s", name);
    return w;
}

QPushButton *button(QWidget *parent, const QString &text)
{
    for (QPushButton *b : parent->findChildren<QPushButton *>())
        if (b->text() == text) return b;
    qFatal("no button %s", qPrintable(text));
}

// Types into the line edit a view opened for editing, then commits with
// Return. The delegate commits through a queued call, hence the event loop
// turn; closed editors linger until deleteLater runs, hence the visible one.
void typeIntoOpenEditor(QAbstractItemView *view, const QString &text)
{
    QLineEdit *editor = nullptr;
    for (auto *e : view->viewport()->findChildren<QLineEdit *>())
        if (e->isVisible()) editor = e;
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
    QCoreApplication::processEvents();
}

void retype(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClicks(edit, text);
}

// The visible ProblemLabel under `root` whose text contains `text`, if any.
bool labelShows(QWidget *root, const QString &text)
{
    for (ProblemLabel *label : root->findChildren<ProblemLabel *>())
        if (label->isVisible() && label->text().contains(text)) return true;
    return false;
}

QModelIndex rowWith(QAbstractItemModel *model, int column, const QString &text)
{
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, column).data().toString() == text) return model->index(r, column);
    return {};
}

} // namespace

class TestPlanEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void buildPlanThroughTheWidgets();
    void examplesSurviveTheEditors_data();
    void examplesSurviveTheEditors();
    void validationIsLiveAndMarksTheField();
    void unparseableInputBlocksRun();
    void runErrorMarksTheField();
    void passFdsPickedFromTheLiveTable();
    void previewsFollowThePlan();

private:
    PlanDocument *m_doc = nullptr;
    PlanEditor *m_editor = nullptr;
};

void TestPlanEditor::initTestCase()
{
    qputenv("HOME", "/root-for-the-test"); // the env table needs a parent HOME to unset
}

void TestPlanEditor::init()
{
    m_doc = new PlanDocument;
    m_editor = new PlanEditor(m_doc);
    m_editor->resize(900, 800);
    m_editor->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_editor));
}

void TestPlanEditor::cleanup()
{
    delete m_editor;
    delete m_doc;
}

void TestPlanEditor::buildPlanThroughTheWidgets()
{
    auto *argvSection = m_editor->section<ArgvEditor>();
    m_editor->showSection(0);
    auto *argv = child<QListWidget>(argvSection, "argvList");
    argv->item(0)->setText(QStringLiteral("sh")); // was "true"
    for (const QString &arg : {QStringLiteral("-c"), QStringLiteral("echo hi")}) {
        QTest::mouseClick(child<QPushButton>(argvSection, "argvAdd"), Qt::LeftButton);
        typeIntoOpenEditor(argv, arg);
    }
    QTest::keyClicks(child<QLineEdit>(argvSection, "executable"), QStringLiteral("/bin/sh"));
    QTest::keyClicks(child<QLineEdit>(argvSection, "cwd"), QStringLiteral("/tmp"));

    auto *envSection = m_editor->section<EnvironmentEditor>();
    m_editor->showSection(1);
    child<QCheckBox>(envSection, "envInherit")->click();
    auto *envTable = child<QTableView>(envSection, "envTable");
    button(envSection, QStringLiteral("Add variable"))->click();
    typeIntoOpenEditor(envTable, QStringLiteral("GREETING"));
    QAbstractItemModel *env = envTable->model();
    const QModelIndex greeting = rowWith(env, EnvModel::Name, QStringLiteral("GREETING"));
    QVERIFY(greeting.isValid());
    QVERIFY(env->setData(greeting.siblingAtColumn(EnvModel::ChildValue), QStringLiteral("hello")));
    const QModelIndex home = rowWith(env, EnvModel::Name, QStringLiteral("HOME"));
    QVERIFY(home.isValid());
    QVERIFY(env->setData(home.siblingAtColumn(EnvModel::Action), QStringLiteral("unset")));

    auto *fdSection = m_editor->section<FdEditor>();
    m_editor->showSection(2);
    auto addFd = [fdSection](const char *action) {
        fdSection->findChild<QAction *>(QStringLiteral("fdAdd_") + QLatin1String(action))
            ->trigger();
    };
    addFd("pipe_out"); // fd 0, the first free number
    child<QSpinBox>(fdSection, "fdNumber")->setValue(1);
    addFd("open"); // fd 2
    QTest::keyClicks(child<QLineEdit>(fdSection, "fdPath"),
                     QStringLiteral("/tmp/spawnlab-editor-test.log"));
    auto *access = child<QComboBox>(fdSection, "fdAccess");
    access->setCurrentIndex(access->findText(QStringLiteral("O_WRONLY")));
    child<QCheckBox>(fdSection, "O_CREAT")->click();
    child<QCheckBox>(fdSection, "O_TRUNC")->click();
    retype(child<QLineEdit>(fdSection, "fdMode"), QStringLiteral("0600"));
    addFd("dup"); // fd 3
    auto *from = child<QComboBox>(fdSection, "fdFrom");
    from->setCurrentIndex(from->findData(2));
    addFd("pipe_in"); // fd 4, renumbered to 0 and moved to the top
    child<QSpinBox>(fdSection, "fdNumber")->setValue(0);
    child<QPlainTextEdit>(fdSection, "fdInput")->setPlainText(QStringLiteral("hello\n"));
    for (int i = 0; i < 3; ++i)
        button(fdSection, QStringLiteral("Up"))->click();
    auto *method = child<QComboBox>(fdSection, "closeMethod");
    method->setCurrentIndex(method->findText(QStringLiteral("close_range")));

    auto *credentials = m_editor->section<CredentialsEditor>();
    m_editor->showSection(3);
    child<QGroupBox>(credentials, "credentialsBox")->setChecked(true);
    child<QCheckBox>(credentials, "setUid")->click();
    child<QComboBox>(credentials, "uid")->setEditText(QStringLiteral("0"));
    child<QCheckBox>(credentials, "setGid")->click();
    child<QComboBox>(credentials, "gid")->setEditText(QStringLiteral("root (0)"));
    child<QCheckBox>(credentials, "setGroups")->click();
    auto *groups = child<QListWidget>(credentials, "groups");
    for (int i = 0; i < groups->count(); ++i)
        if (groups->item(i)->data(Qt::UserRole).toUInt() == 0)
            groups->item(i)->setCheckState(Qt::Checked);

    auto *signalSection = m_editor->section<SignalEditor>();
    m_editor->showSection(4);
    child<QCheckBox>(signalSection, "setSignalMask")->click();
    QAbstractItemModel *signalTable = child<QTableView>(signalSection, "signalTable")->model();
    auto check = [signalTable](const QString &name, int column) {
        const QModelIndex row = rowWith(signalTable, SignalModel::Signal, name);
        QVERIFY2(row.isValid(), qPrintable(name));
        QVERIFY(signalTable->setData(row.siblingAtColumn(column), Qt::Checked, Qt::CheckStateRole));
    };
    check(QStringLiteral("SIGINT (2)"), SignalModel::Blocked);
    check(QStringLiteral("SIGPIPE (13)"), SignalModel::Default);
    check(QStringLiteral("SIGHUP (1)"), SignalModel::Ignore);

    auto *process = m_editor->section<ProcessEditor>();
    m_editor->showSection(5);
    child<QCheckBox>(process, "setsid")->click();
    child<QCheckBox>(process, "setUmask")->click();
    retype(child<QLineEdit>(process, "umask"), QStringLiteral("0077"));
    QAbstractItemModel *limits = child<QTableView>(process, "rlimitTable")->model();
    const QModelIndex nofile = rowWith(limits, 0, QStringLiteral("nofile"));
    QVERIFY(limits->setData(nofile.siblingAtColumn(1), QStringLiteral("64")));
    QVERIFY(limits->setData(nofile.siblingAtColumn(2), QStringLiteral("128")));

    auto *run = m_editor->section<RunSettingsEditor>();
    m_editor->showSection(6);
    auto *strategy = child<QComboBox>(run, "strategy");
    strategy->setCurrentIndex(strategy->findText(QStringLiteral("fork")));
    child<QCheckBox>(run, "inspect_before_close_fds")->click();
    child<QSpinBox>(run, "timeout")->setValue(5000);
    child<QSpinBox>(run, "captureLimit")->setValue(64); // KiB

    const PlanLoad expected = loadPlanFile(
        QStringLiteral(SPAWNLAB_SOURCE_DIR "/tests/widgets/plans/editor_expected.json"));
    QVERIFY(expected.ok());
    QList<PlanIssue> problems = m_doc->problems();
    QVERIFY2(problems.isEmpty(),
             qPrintable(problems.isEmpty() ? QString() : issueText(problems.first())));
    // Compared through the file format, as a saved plan would be.
    const PlanLoad built = loadPlan(savePlan(m_doc->plan()));
    QVERIFY(built.ok());
    QCOMPARE(test::planDifference(built.plan, expected.plan), QString());
    QCOMPARE(QString::fromUtf8(savePlan(m_doc->plan())),
             QString::fromUtf8(savePlan(expected.plan)));
    QVERIFY(m_doc->isModified());
}

void TestPlanEditor::examplesSurviveTheEditors_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(SPAWNLAB_SOURCE_DIR "/resources/plans"));
    for (const QString &name : dir.entryList({QStringLiteral("*.json")}))
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
    QTest::newRow("editor_expected")
        << QStringLiteral(SPAWNLAB_SOURCE_DIR "/tests/widgets/plans/editor_expected.json");
    // Not whole KiB: the KiB box must not round it away.
    QTest::newRow("capture_limit_exact")
        << QStringLiteral(SPAWNLAB_SOURCE_DIR "/tests/widgets/plans/capture_limit_exact.json");
}

void TestPlanEditor::examplesSurviveTheEditors()
{
    QFETCH(QString, path);
    QVERIFY(m_doc->open(path).ok());
    // Every section writes back what it loaded: nothing lost or reordered.
    SpawnPlan plan = m_doc->plan();
    QList<PlanIssue> issues;
    for (PlanSection *section : m_editor->sections())
        section->apply(plan, issues);
    QVERIFY(issues.isEmpty());
    QCOMPARE(test::planDifference(loadPlan(savePlan(plan)).plan, m_doc->plan()), QString());
}

void TestPlanEditor::validationIsLiveAndMarksTheField()
{
    auto *fdSection = m_editor->section<FdEditor>();
    m_editor->showSection(2);
    for (int i = 0; i < 2; ++i)
        fdSection->findChild<QAction *>(QStringLiteral("fdAdd_pipe_out"))->trigger();
    QVERIFY(m_doc->canRun());
    child<QSpinBox>(fdSection, "fdNumber")->setValue(0); // row 1 now also sets fd 0
    QVERIFY(!m_doc->canRun());
    const QList<PlanIssue> problems = m_doc->problems();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems[0].field, QStringLiteral("fds[1].fd"));
    QVERIFY(problems[0].message.contains(QStringLiteral("already set by fds[0]")));
    // The row says why, and so does the label under the table.
    QVERIFY(fdSection->model()
                ->index(1, 0)
                .data(FdActionModel::ProblemRole)
                .toString()
                .contains(QStringLiteral("already set")));
    bool labelShown = false;
    for (ProblemLabel *label : fdSection->findChildren<ProblemLabel *>())
        labelShown = labelShown ||
                     (label->isVisible() && label->text().contains(QStringLiteral("fds[1].fd")));
    QVERIFY(labelShown);
    child<QSpinBox>(fdSection, "fdNumber")->setValue(5);
    QVERIFY(m_doc->canRun());
}

void TestPlanEditor::unparseableInputBlocksRun()
{
    auto *process = m_editor->section<ProcessEditor>();
    m_editor->showSection(5);
    child<QCheckBox>(process, "setUmask")->click();
    auto *umask = child<QLineEdit>(process, "umask");
    umask->selectAll();
    QTest::keyClick(umask, Qt::Key_Backspace);
    QVERIFY(!m_doc->canRun());
    QCOMPARE(m_doc->problems().first().field, QStringLiteral("umask"));
    QTest::keyClicks(umask, QStringLiteral("027"));
    QVERIFY(m_doc->canRun());
    QCOMPARE(m_doc->plan().umask, std::optional<mode_t>(027));
    QVERIFY(child<QLabel>(process, "umaskPreview")->text().contains(QStringLiteral("rw-r-----")));
}

// A failed run marks the field its error came from where a problem would be
// shown (the label under the field, the fd row, the section list), without
// blocking Run; an edit of the plan takes the mark away.
void TestPlanEditor::runErrorMarksTheField()
{
    auto *nav = child<QListWidget>(m_editor, "sectionList");
    SpawnPlan plan;
    plan.argv = {"true"};
    plan.cwd = "/nonexistent/dir";
    m_doc->resetPlan(plan);
    RunResult result = run(m_doc->plan());
    QVERIFY(result.error);
    QCOMPARE(result.error->field, std::string("cwd"));
    m_editor->setRunError(result.error);
    m_editor->showSection(0);
    const QString cwdMark =
        QStringLiteral("cwd: the last run failed here: chdir(\"/nonexistent/dir\"): ENOENT");
    QVERIFY(labelShows(m_editor->section<ArgvEditor>(), cwdMark));
    QVERIFY(nav->item(0)->toolTip().contains(cwdMark));
    QVERIFY(!nav->item(0)->icon().isNull());
    QVERIFY(m_doc->canRun()); // a run error is no problem of the plan

    FdAction missing;
    missing.fd = 5;
    missing.action = FdActionKind::Open;
    missing.path = "/nonexistent/file";
    missing.flags = O_RDONLY;
    plan.cwd.clear();
    plan.fds = {missing};
    m_doc->resetPlan(plan);
    QVERIFY(!labelShows(m_editor->section<ArgvEditor>(), cwdMark)); // another plan now
    result = run(m_doc->plan());
    QVERIFY(result.error);
    m_editor->setRunError(result.error);
    m_editor->showSection(2);
    auto *fdSection = m_editor->section<FdEditor>();
    const QString fdMark =
        fdSection->model()->index(0, 0).data(FdActionModel::ProblemRole).toString();
    QVERIFY2(fdMark.startsWith(QStringLiteral("path: the last run failed here: open(")) &&
                 fdMark.contains(QStringLiteral("ENOENT")),
             qPrintable(fdMark));
    QVERIFY(nav->item(2)->toolTip().contains(QStringLiteral("fds[0].path")));

    plan.timeoutMs = 1000; // any edit: the result no longer describes this plan
    m_doc->setPlan(plan);
    QVERIFY(fdSection->model()->index(0, 0).data(FdActionModel::ProblemRole).toString().isEmpty());
    QVERIFY(nav->item(2)->toolTip().isEmpty());
}

void TestPlanEditor::passFdsPickedFromTheLiveTable()
{
    const int fd = open("/dev/null", O_RDONLY); // inheritable, on purpose
    QVERIFY(fd >= 3);
    auto *fdSection = m_editor->section<FdEditor>();
    m_editor->showSection(2);
    fdSection->rereadParentFds();
    auto *pass = child<QListWidget>(fdSection, "passFds");
    QListWidgetItem *item = nullptr;
    for (int i = 0; i < pass->count(); ++i)
        if (pass->item(i)->data(Qt::UserRole).toInt() == fd) item = pass->item(i);
    QVERIFY(item);
    QVERIFY(item->text().contains(QStringLiteral("inheritable")));
    item->setCheckState(Qt::Checked);
    QCOMPARE(m_doc->plan().passFds, std::vector<int>{fd});
    QVERIFY(m_doc->canRun());
    close(fd);
    m_doc->revalidate(); // the fd is gone: pass_fds[0] is now a problem
    QVERIFY(!m_doc->canRun());
    QCOMPARE(m_doc->problems().first().field, QStringLiteral("pass_fds[0]"));
}

void TestPlanEditor::previewsFollowThePlan()
{
    auto *argvSection = m_editor->section<ArgvEditor>();
    child<QListWidget>(argvSection, "argvList")->item(0)->setText(QStringLiteral("sh"));
    QVERIFY(child<QLabel>(argvSection, "pathResolution")->text().contains(QStringLiteral("/sh")));
    auto *reason = child<QLabel>(m_editor->section<RunSettingsEditor>(), "strategyReason");
    QVERIFY(reason->text().contains(QStringLiteral("clone_vm")));
    // Stop points no longer need fork: the supervisor serves them for clone_vm.
    child<QCheckBox>(m_editor->section<RunSettingsEditor>(), "inspect_after_exec")->click();
    QVERIFY(reason->text().contains(QStringLiteral("clone_vm")));
    auto *strategy = child<QComboBox>(m_editor->section<RunSettingsEditor>(), "strategy");
    strategy->setCurrentIndex(strategy->findText(QStringLiteral("fork")));
    QVERIFY2(reason->text().contains(QStringLiteral("requested")), qPrintable(reason->text()));
}

QTEST_MAIN(TestPlanEditor)
#include "tst_planeditor.moc"
