// spawnlab: a minimal window (open a plan, run it, read the result JSON) until
// the full GUI lands in ui/widgets.
#include "planfile.h"
#include "resultjson.h"

#include "spawnlab/launch.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QThread>
#include <QVBoxLayout>

#include <memory>
#include <optional>

namespace {

QString issuesText(const QString &heading, const QList<spawnlab::PlanIssue> &issues)
{
    QString text = heading + QLatin1Char('\n');
    for (const auto &issue : issues)
        text += QStringLiteral("\n• ") +
                (issue.field.isEmpty() ? issue.message : issue.field + ": " + issue.message);
    return text;
}

class MainWindow : public QMainWindow
{
public:
    MainWindow()
    {
        setWindowTitle(QStringLiteral("spawnlab"));
        QMenu *file = menuBar()->addMenu(tr("&File"));
        QAction *open = file->addAction(tr("&Open plan…"));
        open->setShortcut(QKeySequence::Open);
        connect(open, &QAction::triggered, this, [this] {
            const QString path =
                QFileDialog::getOpenFileName(this, tr("Open plan"), {}, tr("Spawn plans (*.json)"));
            if (!path.isEmpty()) loadPlan(path);
        });
        QAction *quit = file->addAction(tr("&Quit"));
        quit->setShortcut(QKeySequence::Quit);
        connect(quit, &QAction::triggered, this, &QWidget::close);

        auto *central = new QWidget(this);
        auto *layout = new QVBoxLayout(central);
        m_planLabel = new QLabel(tr("No plan loaded."), central);
        m_run = new QPushButton(tr("Run"), central);
        m_run->setEnabled(false);
        connect(m_run, &QPushButton::clicked, this, [this] { runPlan(); });
        m_output = new QPlainTextEdit(central);
        m_output->setReadOnly(true);
        m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_output->setPlaceholderText(tr("Open a plan (File > Open plan…) and press Run: the "
                                        "result JSON appears here."));
        layout->addWidget(m_planLabel);
        layout->addWidget(m_run);
        layout->addWidget(m_output, 1);
        setCentralWidget(central);
        resize(900, 700);
    }

    ~MainWindow() override
    {
        // The worker reads m_plan's copy only, but must not outlive its QThread object.
        if (m_worker) {
            m_worker->wait();
            delete m_worker;
        }
    }

    void loadPlan(const QString &path)
    {
        const spawnlab::PlanLoad load = spawnlab::loadPlanFile(path);
        if (!load.ok()) {
            QMessageBox::critical(
                this, tr("Cannot load plan"),
                issuesText(tr("%1 has errors:").arg(path), load.errors) +
                    (load.warnings.isEmpty()
                         ? QString()
                         : QStringLiteral("\n\n") + issuesText(tr("Warnings:"), load.warnings)));
            return;
        }
        if (!load.warnings.isEmpty())
            QMessageBox::warning(this, tr("Plan loaded with warnings"),
                                 issuesText(tr("%1:").arg(path), load.warnings));
        m_plan = load.plan;
        m_planLabel->setText(tr("Plan: %1").arg(QFileInfo(path).absoluteFilePath()));
        m_run->setEnabled(!m_worker);
        m_output->clear();
    }

private:
    void runPlan()
    {
        if (!m_plan || m_worker) return;
        const auto problems = spawnlab::validate(*m_plan);
        if (!problems.empty()) {
            QString text = tr("The plan cannot run here:\n");
            for (const auto &p : problems)
                text +=
                    QStringLiteral("\n• %1: %2")
                        .arg(QString::fromStdString(p.field), QString::fromStdString(p.message));
            QMessageBox::critical(this, tr("Cannot run plan"), text);
            return;
        }
        // run() blocks until the child is reaped, so it must stay off the GUI thread.
        auto result = std::make_shared<spawnlab::RunResult>();
        m_worker = QThread::create([plan = *m_plan, result] { *result = spawnlab::run(plan); });
        connect(m_worker, &QThread::finished, this, [this, result] {
            m_output->setPlainText(QString::fromUtf8(spawnlab::resultJsonText(*result)));
            m_worker->deleteLater();
            m_worker = nullptr;
            m_run->setEnabled(true);
            statusBar()->showMessage(result->execOk ? tr("exec succeeded") : tr("run failed"));
        });
        m_run->setEnabled(false);
        statusBar()->showMessage(tr("Running…"));
        m_worker->start();
    }

    std::optional<spawnlab::SpawnPlan> m_plan;
    QThread *m_worker = nullptr;
    QLabel *m_planLabel = nullptr;
    QPushButton *m_run = nullptr;
    QPlainTextEdit *m_output = nullptr;
};

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("spawnlab"));
    MainWindow window;
    const QString example = QStringLiteral(SPAWNLAB_SOURCE_DIR "/resources/plans/fd_leak.json");
    if (QFileInfo::exists(example)) window.loadPlan(example);
    window.show();
    return app.exec();
}
