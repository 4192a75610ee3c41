// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/credentialseditor.h"

#include "editor/optiontip.h"
#include "plan/accounts.h"
#include "problemlabel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <unistd.h>

#include <algorithm>

namespace spawnlab {
namespace {

QString accountText(quint32 id, const QString &name)
{
    return name.isEmpty() ? QString::number(id) : QStringLiteral("%1 (%2)").arg(name).arg(id);
}

QComboBox *accountCombo(const QList<Account> &accounts, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    for (const Account &a : accounts)
        combo->addItem(accountText(a.id, a.name), a.id);
    combo->completer()->setCompletionMode(QCompleter::PopupCompletion);
    combo->completer()->setFilterMode(Qt::MatchContains);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(16);
    return combo;
}

} // namespace

CredentialsEditor::CredentialsEditor(QWidget *parent)
    : PlanSection(tr("Credentials"), {QStringLiteral("credentials")}, parent)
{
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    m_box = new QGroupBox(tr("Change the child's identity"), this);
    m_box->setObjectName(QStringLiteral("credentialsBox"));
    m_box->setCheckable(true);
    auto *grid = new QGridLayout(m_box);
    m_setUid = optionField(new QCheckBox(tr("User (setuid):"), m_box), "setUid", "credentials.uid");
    m_uid = optionField(accountCombo(allUsers(), m_box), "uid", "credentials.uid");
    m_setGid =
        optionField(new QCheckBox(tr("Group (setgid):"), m_box), "setGid", "credentials.gid");
    m_gid = optionField(accountCombo(allGroups(), m_box), "gid", "credentials.gid");
    m_setGroups = optionField(new QCheckBox(tr("Supplementary groups (setgroups):"), m_box),
                              "setGroups", "credentials.groups");
    m_groupFilter = new QLineEdit(m_box);
    m_groupFilter->setPlaceholderText(tr("Filter groups…"));
    m_groupFilter->setClearButtonEnabled(true);
    m_groups = optionField(new QListWidget(m_box), "groups", "credentials.groups");
    grid->addWidget(m_setUid, 0, 0);
    grid->addWidget(m_uid, 0, 1);
    grid->addWidget(m_setGid, 1, 0);
    grid->addWidget(m_gid, 1, 1);
    grid->addWidget(m_setGroups, 2, 0, 1, 2);
    grid->addWidget(m_groupFilter, 3, 0, 1, 2);
    grid->addWidget(m_groups, 4, 0, 1, 2);
    grid->addWidget(new ProblemLabel({QStringLiteral("credentials")}, m_box), 5, 0, 1, 2);
    grid->setColumnStretch(1, 1);
    layout->addWidget(m_box, 1);

    auto onEdit = [this] {
        updateEnabled();
        Q_EMIT edited();
    };
    connect(m_box, &QGroupBox::toggled, this, onEdit);
    for (QCheckBox *c : {m_setUid, m_setGid, m_setGroups})
        connect(c, &QCheckBox::toggled, this, onEdit);
    for (QComboBox *c : {m_uid, m_gid}) {
        connect(c, &QComboBox::currentIndexChanged, this, onEdit);
        connect(c, &QComboBox::editTextChanged, this, onEdit);
    }
    connect(m_groups, &QListWidget::itemChanged, this, onEdit);
    connect(m_groupFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        for (int i = 0; i < m_groups->count(); ++i)
            m_groups->item(i)->setHidden(
                !m_groups->item(i)->text().contains(text, Qt::CaseInsensitive));
    });
    fillGroups({});
    updateEnabled();
}

void CredentialsEditor::fillGroups(const std::vector<gid_t> &checked)
{
    m_groups->clear();
    QList<Account> groups = allGroups();
    for (gid_t gid : checked)
        if (std::none_of(groups.begin(), groups.end(),
                         [gid](const Account &a) { return a.id == gid; }))
            groups.append({gid, QString()});
    std::sort(groups.begin(), groups.end(),
              [](const Account &a, const Account &b) { return a.id < b.id; });
    for (const Account &g : groups) {
        auto *item = new QListWidgetItem(accountText(g.id, g.name), m_groups);
        item->setData(Qt::UserRole, g.id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        const bool on = std::find(checked.begin(), checked.end(), gid_t(g.id)) != checked.end();
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
}

void CredentialsEditor::updateEnabled()
{
    m_uid->setEnabled(m_setUid->isChecked());
    m_gid->setEnabled(m_setGid->isChecked());
    m_groups->setEnabled(m_setGroups->isChecked());
    m_groupFilter->setEnabled(m_setGroups->isChecked());
}

void CredentialsEditor::load(const SpawnPlan &plan)
{
    const QSignalBlocker b1(m_box), b2(m_setUid), b3(m_setGid), b4(m_setGroups), b5(m_uid),
        b6(m_gid), b7(m_groups);
    const Credentials c = plan.credentials.value_or(Credentials{});
    m_box->setChecked(plan.credentials.has_value());
    m_setUid->setChecked(c.uid.has_value());
    m_uid->setEditText(accountText(c.uid.value_or(getuid()), userName(c.uid.value_or(getuid()))));
    m_setGid->setChecked(c.gid.has_value());
    m_gid->setEditText(accountText(c.gid.value_or(getgid()), groupName(c.gid.value_or(getgid()))));
    m_setGroups->setChecked(c.groups.has_value());
    fillGroups(c.groups.value_or(std::vector<gid_t>{}));
    updateEnabled();
}

void CredentialsEditor::apply(SpawnPlan &plan, QList<PlanIssue> &issues) const
{
    if (!m_box->isChecked()) {
        plan.credentials.reset();
        return;
    }
    Credentials c;
    if (m_setUid->isChecked()) {
        if (auto uid = parseUser(m_uid->currentText()))
            c.uid = uid_t(*uid);
        else
            issues.append(
                {QStringLiteral("credentials.uid"),
                 tr("\"%1\" is neither a user name nor a number").arg(m_uid->currentText())});
    }
    if (m_setGid->isChecked()) {
        if (auto gid = parseGroup(m_gid->currentText()))
            c.gid = gid_t(*gid);
        else
            issues.append(
                {QStringLiteral("credentials.gid"),
                 tr("\"%1\" is neither a group name nor a number").arg(m_gid->currentText())});
    }
    if (m_setGroups->isChecked()) {
        c.groups.emplace();
        for (int i = 0; i < m_groups->count(); ++i)
            if (m_groups->item(i)->checkState() == Qt::Checked)
                c.groups->push_back(gid_t(m_groups->item(i)->data(Qt::UserRole).toUInt()));
    }
    plan.credentials = c;
}

void CredentialsEditor::refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems)
{
    Q_UNUSED(problems);
    QString text = tr("spawnlab runs as %1, group %2.")
                       .arg(accountText(getuid(), userName(getuid())),
                            accountText(getgid(), groupName(getgid())));
    if (plan.credentials && geteuid() != 0)
        text += tr(" Changing to other ids needs CAP_SETUID/CAP_SETGID (root): expect the child to "
                   "fail with EPERM at setgroups, setgid or setuid.");
    text += tr(" Any of these makes strategy auto choose fork.");
    m_summary->setText(text);
}

} // namespace spawnlab
