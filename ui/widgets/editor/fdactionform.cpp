// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/fdactionform.h"

#include "editor/optiontip.h"
#include "explain/modetext.h"
#include "qs.h"

#include "spawnlab/names.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>

#include <fcntl.h>

namespace spawnlab {
namespace {

const char *const kActionKeys[] = {"fds.dup",  "fds.open",     "fds.close",
                                   "fds.null", "fds.pipe_out", "fds.pipe_in"};

// Open flags besides the access mode, with what each does for the child.
struct FlagInfo {
    const char *name;
    const char *tip;
};
const FlagInfo kFlags[] = {
    {"O_CREAT", "create the file if missing (with the mode below, minus the umask)"},
    {"O_TRUNC", "empty an existing file"},
    {"O_APPEND", "every write goes to the end, even with others writing"},
    {"O_EXCL", "with O_CREAT: fail with EEXIST if the file exists"},
    {"O_NOCTTY", "a terminal opened here does not become the controlling terminal"},
    {"O_NONBLOCK", "reads and writes return EAGAIN instead of waiting"},
    {"O_SYNC", "writes return once data and metadata are on disk"},
    {"O_DSYNC", "writes return once the data is on disk"},
    {"O_DIRECTORY", "fail with ENOTDIR unless the path is a directory"},
    {"O_NOFOLLOW", "fail with ELOOP if the path is a symlink"},
    {"O_NOATIME", "do not update the access time"},
    {"O_DIRECT", "bypass the page cache"},
    {"O_TMPFILE", "an unnamed file in the directory at path"},
    {"O_PATH", "a handle for *at() calls only: no reads or writes"},
    {"O_CLOEXEC", "closed at exec: the program would never see it (the plan rejects it)"},
};

} // namespace

FdActionForm::FdActionForm(QWidget *parent) : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    m_fd = new QSpinBox(this);
    m_fd->setObjectName(QStringLiteral("fdNumber"));
    m_fd->setRange(0, 1 << 20);
    m_fd->setToolTip(tr("The fd number the child's program sees (0 stdin, 1 stdout, 2 stderr)"));
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("fdAction"));
    for (FdActionKind kind : kFdActionKinds) {
        const int k = int(kind);
        m_kind->addItem(qs(fdActionName(kind)));
        m_kind->setItemData(k, optionHelp(QString::fromLatin1(kActionKeys[k])), Qt::ToolTipRole);
    }
    setOptionTip(m_kind, "fds");
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(dupPage());
    m_pages->addWidget(openPage());
    m_pages->addWidget(
        notePage(tr("The child's fd is closed: a program that uses it gets EBADF.")));
    m_pages->addWidget(notePage(tr("/dev/null opened read-write: reads see EOF, writes vanish.")));
    m_pages->addWidget(notePage(tr("A pipe: spawnlab reads everything the child writes to this fd "
                                   "and shows it under Result.")));
    m_pages->addWidget(pipeInPage());
    form->addRow(tr("Child fd:"), m_fd);
    form->addRow(tr("Action:"), m_kind);
    form->addRow(m_pages);

    connect(m_fd, &QSpinBox::valueChanged, this, &FdActionForm::changed);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int index) {
        showPage(index);
        Q_EMIT changed();
    });
    showPage(0);
}

QWidget *FdActionForm::dupPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    m_from = new QComboBox(page);
    m_from->setObjectName(QStringLiteral("fdFrom"));
    m_from->setToolTip(optionHelp(QStringLiteral("fds.dup")));
    m_from->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_from->setMinimumContentsLength(24);
    form->addRow(tr("Copy of spawnlab's fd:"), m_from);
    connect(m_from, &QComboBox::currentIndexChanged, this, &FdActionForm::changed);
    return page;
}

QWidget *FdActionForm::openPage()
{
    auto *page = new QWidget(this);
    page->setToolTip(optionHelp(QStringLiteral("fds.open")));
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    auto *pathRow = new QHBoxLayout;
    m_path = new QLineEdit(page);
    m_path->setObjectName(QStringLiteral("fdPath"));
    m_path->setPlaceholderText(tr("/path/the/child/opens"));
    auto *browse = new QPushButton(tr("Browse…"), page);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    form->addRow(tr("Path:"), pathRow);

    m_access = new QComboBox(page);
    m_access->setObjectName(QStringLiteral("fdAccess"));
    m_access->addItem(QStringLiteral("O_RDONLY"), O_RDONLY);
    m_access->addItem(QStringLiteral("O_WRONLY"), O_WRONLY);
    m_access->addItem(QStringLiteral("O_RDWR"), O_RDWR);
    m_access->setToolTip(tr("How the child may use the fd: read, write or both"));
    form->addRow(tr("Access:"), m_access);

    auto *flagsBox = new QWidget(page);
    auto *grid = new QGridLayout(flagsBox);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    int i = 0;
    for (const FlagInfo &flag : kFlags) {
        auto *check = new QCheckBox(QString::fromLatin1(flag.name), flagsBox);
        check->setObjectName(QString::fromLatin1(flag.name));
        check->setToolTip(QString::fromLatin1(flag.tip));
        grid->addWidget(check, i / 3, i % 3);
        m_flags << check;
        connect(check, &QCheckBox::toggled, this, &FdActionForm::changed);
        ++i;
    }
    form->addRow(tr("Flags:"), flagsBox);

    m_mode = new QLineEdit(page);
    m_mode->setObjectName(QStringLiteral("fdMode"));
    m_mode->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-7]{0,4}")), m_mode));
    m_mode->setMaximumWidth(80);
    m_mode->setToolTip(
        tr("Permissions for a file O_CREAT creates (the child's umask is taken off)"));
    m_modePreview = new QLabel(page);
    m_modePreview->setObjectName(QStringLiteral("fdModePreview"));
    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(m_mode);
    modeRow->addWidget(m_modePreview, 1);
    form->addRow(tr("Mode:"), modeRow);

    connect(m_path, &QLineEdit::textEdited, this, &FdActionForm::changed);
    connect(m_access, &QComboBox::currentIndexChanged, this, &FdActionForm::changed);
    connect(m_mode, &QLineEdit::textEdited, this, [this] {
        updateModePreview();
        Q_EMIT changed();
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("File the child opens"), m_path->text(), {},
                                         nullptr, QFileDialog::DontConfirmOverwrite);
        if (path.isEmpty()) return;
        m_path->setText(path);
        Q_EMIT changed();
    });
    return page;
}

QWidget *FdActionForm::pipeInPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    m_input = new QPlainTextEdit(page);
    m_input->setObjectName(QStringLiteral("fdInput"));
    m_input->setPlaceholderText(tr("Text spawnlab writes into the pipe, then closes it (EOF)"));
    m_input->setToolTip(optionHelp(QStringLiteral("fds.pipe_in")));
    m_input->setMaximumHeight(90);
    form->addRow(tr("Input:"), m_input);
    connect(m_input, &QPlainTextEdit::textChanged, this, &FdActionForm::changed);
    return page;
}

QWidget *FdActionForm::notePage(const QString &text)
{
    auto *label = new QLabel(text, this);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    return label;
}

void FdActionForm::fillParentFds(const FdTable &parent, int from)
{
    m_from->clear();
    bool found = false;
    for (const FdEntry &e : parent) {
        const QString text = QStringLiteral("%1 — %2%3")
                                 .arg(e.fd)
                                 .arg(qs(e.target))
                                 .arg(e.cloexec ? QString() : tr("  (inheritable)"));
        m_from->addItem(text, e.fd);
        found = found || e.fd == from;
    }
    if (!found && from >= 0) m_from->addItem(tr("%1 — not open in spawnlab").arg(from), from);
    m_from->setCurrentIndex(m_from->findData(from));
}

void FdActionForm::setAction(const FdAction &a, const FdTable &parent)
{
    const QSignalBlocker b1(m_fd), b2(m_kind), b3(m_from), b4(m_path), b5(m_access), b6(m_mode),
        b7(m_input);
    m_shown = a;
    m_fd->setValue(a.fd);
    m_kind->setCurrentIndex(int(a.action));
    showPage(int(a.action));
    fillParentFds(parent, a.from);
    m_path->setText(qs(a.path));
    m_access->setCurrentIndex(m_access->findData(a.flags & O_ACCMODE));
    for (QCheckBox *check : m_flags) {
        const QSignalBlocker b(check);
        const int bit = *parseOpenFlag(check->text().toStdString());
        check->setChecked((a.flags & bit) == bit);
    }
    m_mode->setText(qsOctal(a.mode));
    m_input->setPlainText(qs(a.input));
    updateModePreview();
}

FdAction FdActionForm::action() const
{
    FdAction a = m_shown; // keeps fields of other actions, so switching back restores them
    a.fd = m_fd->value();
    a.action = FdActionKind(m_kind->currentIndex());
    if (m_from->currentIndex() >= 0) a.from = m_from->currentData().toInt();
    a.path = m_path->text().toStdString();
    a.flags = m_access->currentData().toInt();
    for (QCheckBox *check : m_flags)
        if (check->isChecked()) a.flags |= *parseOpenFlag(check->text().toStdString());
    if (auto mode = parseOctal(m_mode->text(), 07777)) a.mode = mode_t(*mode);
    a.input = m_input->toPlainText().toStdString();
    return a;
}

QString FdActionForm::issue() const
{
    if (m_kind->currentIndex() == int(FdActionKind::Open) && !parseOctal(m_mode->text(), 07777))
        return tr("mode: enter octal permissions such as 0644");
    return {};
}

void FdActionForm::showPage(int index)
{
    // A stacked widget is as tall as its tallest page; only the shown one counts here.
    for (int i = 0; i < m_pages->count(); ++i)
        m_pages->widget(i)->setSizePolicy(
            QSizePolicy::Preferred, i == index ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_pages->setCurrentIndex(index);
    m_pages->adjustSize();
}

void FdActionForm::updateModePreview()
{
    const auto mode = parseOctal(m_mode->text(), 07777);
    m_modePreview->setText(mode ? rwxText(*mode) : tr("octal, e.g. 0644"));
}

} // namespace spawnlab
