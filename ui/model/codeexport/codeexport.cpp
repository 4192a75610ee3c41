// SPDX-License-Identifier: GPL-3.0-or-later
// The language list and what the exporters share: the fd layout, spellings and
// the source-text builder. Each language lives in codeexport_<language>.cpp.
#include "codeexport/codeexport.h"

#include "qs.h"

#include "codeexport/codeexport_common.h"

#include "spawnlab/names.h"

#include <algorithm>

namespace spawnlab {

namespace {

// Every language once: adding one is a row here (and its exporter).
struct Language {
    CodeLanguage id;
    const char *name;      // as the Code tab shows it
    const char *extension; // of the file the program is saved as
    QString (*write)(const SpawnPlan &plan);
};

constexpr Language languages[] = {
    {CodeLanguage::Python, "Python (subprocess)", "py", codeexport::exportPython},
    {CodeLanguage::Go, "Go (os/exec)", "go", codeexport::exportGo},
    {CodeLanguage::C, "C (posix_spawn)", "c", codeexport::exportC},
    {CodeLanguage::Rust, "Rust (std::process)", "rs", codeexport::exportRust},
    {CodeLanguage::Shell, "Shell (bash)", "sh", codeexport::exportShell},
};

const Language *find(CodeLanguage id)
{
    for (const Language &l : languages)
        if (l.id == id) return &l;
    return nullptr;
}

} // namespace

QList<CodeLanguage> codeLanguages()
{
    QList<CodeLanguage> out;
    for (const Language &l : languages)
        out.append(l.id);
    return out;
}

QString codeLanguageName(CodeLanguage lang)
{
    const Language *l = find(lang);
    return l ? QString::fromLatin1(l->name) : QString();
}

QString codeFileExtension(CodeLanguage lang)
{
    const Language *l = find(lang);
    return l ? QString::fromLatin1(l->extension) : QString();
}

QString exportPlan(const SpawnPlan &plan, CodeLanguage lang)
{
    const Language *l = find(lang);
    return l ? l->write(plan) : QString();
}

namespace codeexport {

Code::Code(QString commentPrefix, QString indentUnit)
    : m_commentPrefix(std::move(commentPrefix)), m_indentUnit(std::move(indentUnit))
{
}

void Code::line(const QString &text)
{
    m_lines.append(text.isEmpty() ? QString() : m_indentUnit.repeated(m_depth) + text);
}

void Code::lines(QStringView block)
{
    for (QStringView text : block.split(QLatin1Char('\n')))
        line(text.toString());
}

void Code::comment(const QString &sentence)
{
    // Wrapped at 80 columns, as the generated code would be in a real project.
    const QString lead = m_indentUnit.repeated(m_depth) + m_commentPrefix;
    QString current;
    for (const QString &word : sentence.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!current.isEmpty() && lead.size() + current.size() + 1 + word.size() > 80) {
            m_lines.append(lead + current);
            current.clear();
        }
        current += (current.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    m_lines.append(lead + current);
}

FdLayout fdLayout(const SpawnPlan &plan)
{
    FdLayout layout;
    static_cast<FdShuffle &>(layout) = planFdShuffle(plan);
    std::set<int> named(plan.passFds.begin(), plan.passFds.end());
    for (const FdAction &a : plan.fds)
        named.insert({a.fd, a.action == FdActionKind::Dup ? a.from : a.fd});
    layout.named.assign(named.begin(), named.end());
    while (named.count(layout.spare))
        ++layout.spare;
    if (plan.closeFds) {
        for (const FdAction &a : plan.fds) {
            bool listed =
                std::count(layout.closedSources.begin(), layout.closedSources.end(), a.from);
            if (a.action == FdActionKind::Dup && a.from >= 3 && !layout.keeps(a.from) && !listed)
                layout.closedSources.push_back(a.from);
        }
    }
    return layout;
}

QString asciiBytesLiteral(const std::string &s, const QString &open, QChar quote)
{
    QString out = open;
    for (unsigned char c : s) {
        if (c == '\\' || QChar(c) == quote)
            out += QStringLiteral("\\") + QLatin1Char(char(c));
        else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\t')
            out += QStringLiteral("\\t");
        else if (c >= 0x20 && c < 0x7f)
            out += QLatin1Char(char(c));
        else
            out += QStringLiteral("\\x%1").arg(unsigned(c), 2, 16, QLatin1Char('0'));
    }
    return out + quote;
}

QString unicodeStringLiteral(const std::string &s, QString (*control)(unsigned))
{
    QString out = QStringLiteral("\"");
    for (char32_t c : qs(s).toUcs4()) {
        if (c == '"' || c == '\\')
            out += QLatin1Char('\\') + QChar(char16_t(c));
        else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\t')
            out += QStringLiteral("\\t");
        else if (c < 0x20 || c == 0x7f)
            out += control(unsigned(c));
        else
            out += QString::fromUcs4(&c, 1);
    }
    return out + QLatin1Char('"');
}

QString signalText(int sig)
{
    std::string name = signalName(sig);
    return name.empty() ? QStringLiteral("signal %1").arg(sig) : qs(name);
}

QString signalList(const std::vector<int> &signals)
{
    QStringList names;
    for (int sig : signals)
        names.append(signalText(sig));
    return names.join(QStringLiteral(", "));
}

QString rlimitText(int resource)
{
    std::string_view name = rlimitName(resource);
    return qs(name);
}

QString rlimitConstant(int resource)
{
    return QStringLiteral("RLIMIT_") + rlimitText(resource).toUpper();
}

QStringList openFlagList(int flags)
{
    QStringList names;
    for (const std::string &name : openFlagNames(flags))
        names.append(qs(name));
    return names;
}

QString describe(const FdAction &a, int index)
{
    const QString at = QStringLiteral("fds[%1]: ").arg(index);
    switch (a.action) {
    case FdActionKind::Dup:
        return at + QStringLiteral("dup fd %1 to fd %2").arg(a.from).arg(a.fd);
    case FdActionKind::Open:
        return at + QStringLiteral("open %1 on fd %2").arg(qs(a.path)).arg(a.fd);
    case FdActionKind::Close:
        return at + QStringLiteral("close fd %1").arg(a.fd);
    case FdActionKind::Null:
        return at + QStringLiteral("/dev/null on fd %1").arg(a.fd);
    case FdActionKind::PipeOut:
        return at + QStringLiteral("pipe_out on fd %1 (captured)").arg(a.fd);
    case FdActionKind::PipeIn:
        return at + QStringLiteral("pipe_in on fd %1").arg(a.fd);
    }
    return at;
}

std::string programOf(const SpawnPlan &plan)
{
    if (!plan.executable.empty()) return plan.executable;
    return plan.argv.empty() ? std::string() : plan.argv.front();
}

bool searchesPath(const SpawnPlan &plan)
{
    return programOf(plan).find('/') == std::string::npos;
}

bool childPathDiffers(const EnvSpec &env)
{
    auto isPath = [](const auto &entry) { return entry == "PATH"; };
    return !env.inherit || std::any_of(env.unset.begin(), env.unset.end(), isPath) ||
           std::any_of(env.set.begin(), env.set.end(),
                       [&](const auto &kv) { return isPath(kv.first); });
}

std::string childRelativePath(const SpawnPlan &plan, const std::string &path)
{
    if (path.empty() || path.front() == '/' || plan.cwd.empty()) return path;
    return plan.cwd + (plan.cwd.back() == '/' ? "" : "/") + path;
}

std::vector<const FdAction *> pipeOuts(const SpawnPlan &plan)
{
    std::vector<const FdAction *> out;
    for (const FdAction &a : plan.fds)
        if (a.action == FdActionKind::PipeOut) out.push_back(&a);
    return out;
}

bool hasSignalChanges(const SpawnPlan &plan)
{
    return plan.signals.block || !plan.signals.setDefault.empty() || !plan.signals.ignore.empty();
}

QStringList spawnlabOnly(const SpawnPlan &plan, const QString &creator)
{
    QStringList notes;
    if (plan.strategy != Strategy::Auto)
        notes.append(QStringLiteral("strategy %1: %2.")
                         .arg(qs(std::string(strategyName(plan.strategy))), creator));
    if (!plan.inspect.empty())
        notes.append(QStringLiteral("inspect: stop points are spawnlab's own; there is no "
                                    "equivalent here."));
    if (plan.closeFds && plan.closeMethod != CloseMethod::Auto)
        notes.append(QStringLiteral("close_method %1: the library closes fds its own way.")
                         .arg(qs(std::string(closeMethodName(plan.closeMethod)))));
    return notes;
}

} // namespace codeexport
} // namespace spawnlab
