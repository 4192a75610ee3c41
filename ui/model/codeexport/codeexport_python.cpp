// SPDX-License-Identifier: GPL-3.0-or-later
// The plan as a Python script around subprocess.Popen. Signal mask and
// dispositions are inherited through fork and execve, so the script sets its
// own around the call instead of using preexec_fn; only rlimits and closing fd
// 0-2 need preexec_fn. The fds are arranged in codeexport_python_fds.cpp.
#include "codeexport/codeexport_python.h"

#include <csignal>

namespace spawnlab::codeexport {
namespace {

QString hexByte(unsigned c)
{
    return QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
}

QString pyList(const std::vector<std::string> &items)
{
    QStringList literals;
    for (const auto &item : items)
        literals.append(pyString(item));
    return QLatin1Char('[') + literals.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString pySignalSet(const std::vector<int> &signals)
{
    QStringList names;
    for (int sig : signals)
        names.append(pySignal(sig));
    if (names.isEmpty()) return QStringLiteral("set()");
    return QLatin1Char('{') + names.join(QStringLiteral(", ")) + QLatin1Char('}');
}

QString pyLimit(rlim_t value)
{
    return value == RLIM_INFINITY ? QStringLiteral("resource.RLIM_INFINITY")
                                  : QString::number(quint64(value));
}

void addEnvironment(const SpawnPlan &plan, PythonScript &s)
{
    const EnvSpec &env = plan.env;
    if (env.inherit && env.set.empty() && env.unset.empty()) return;
    s.setup.line(env.inherit ? QStringLiteral("env = dict(os.environ)")
                             : QStringLiteral("env = {}"));
    if (env.inherit)
        for (const auto &name : env.unset)
            s.setup.line(QStringLiteral("env.pop(%1, None)").arg(pyString(name)));
    for (const auto &[name, value] : env.set)
        s.setup.line(QStringLiteral("env[%1] = %2").arg(pyString(name), pyString(value)));
    s.kwargs.append(QStringLiteral("env=env"));
}

void addProcessKwargs(const SpawnPlan &plan, PythonScript &s)
{
    if (!plan.executable.empty() && (plan.argv.empty() || plan.executable != plan.argv.front()))
        s.kwargs.prepend(QStringLiteral("executable=") + pyString(plan.executable));
    if (!plan.cwd.empty()) s.kwargs.append(QStringLiteral("cwd=") + pyString(plan.cwd));
    addEnvironment(plan, s);
    if (plan.umask)
        s.kwargs.append(
            QStringLiteral("umask=0o%1").arg(unsigned(*plan.umask), 3, 8, QLatin1Char('0')));
    if (plan.setsid) s.kwargs.append(QStringLiteral("start_new_session=True"));
    if (plan.pgid) s.kwargs.append(QStringLiteral("process_group=%1").arg(*plan.pgid));
    if (!plan.credentials) return;
    const Credentials &c = *plan.credentials;
    if (c.uid) s.kwargs.append(QStringLiteral("user=%1").arg(*c.uid));
    if (c.gid) s.kwargs.append(QStringLiteral("group=%1").arg(*c.gid));
    if (c.groups) {
        QStringList groups;
        for (gid_t g : *c.groups)
            groups.append(QString::number(g));
        s.kwargs.append(QStringLiteral("extra_groups=[%1]").arg(groups.join(QStringLiteral(", "))));
    }
}

void addSignals(const SpawnPlan &plan, PythonScript &s)
{
    const SignalSpec &sig = plan.signals;
    std::vector<int> defaults = sig.setDefault;
    auto ignores = [&sig](int n) {
        return std::count(sig.ignore.begin(), sig.ignore.end(), n) > 0;
    };
    if (ignores(SIGPIPE) || ignores(SIGXFSZ)) {
        // restore_signals=True would undo these ignores in the child; what it
        // resets for Python's own ignores is then done by hand.
        s.kwargs.append(QStringLiteral("restore_signals=False"));
        for (int n : {SIGPIPE, SIGXFSZ})
            if (!ignores(n) && !std::count(defaults.begin(), defaults.end(), n))
                defaults.push_back(n);
    }
    if (!hasSignalChanges(plan)) return;
    s.imports.insert(QStringLiteral("signal"));
    if (sig.block) {
        s.setup.comment(
            QStringLiteral("Popen cannot express signals.block (the child's signal "
                           "mask). The child inherits this thread's mask through fork "
                           "and execve, so the script sets the plan's around the call."));
        s.setup.line(QStringLiteral("saved_mask = signal.pthread_sigmask(signal.SIG_SETMASK, %1)")
                         .arg(pySignalSet(*sig.block)));
        s.after.line(QStringLiteral("signal.pthread_sigmask(signal.SIG_SETMASK, saved_mask)"));
    }
    if (sig.ignore.empty() && defaults.empty()) return;
    s.setup.comment(QStringLiteral("Popen cannot express signals.ignore or signals.default: a "
                                   "disposition of SIG_IGN or SIG_DFL survives fork and execve, "
                                   "so the script sets them around the call."));
    s.setup.line(QStringLiteral("saved_handlers = {}"));
    auto set = [&s](const std::vector<int> &signals, const char *disposition) {
        if (signals.empty()) return;
        s.setup.line(QStringLiteral("for sig in %1:").arg(pySignalSet(signals)));
        s.setup.line(QStringLiteral("    saved_handlers[sig] = signal.signal(sig, signal.%1)")
                         .arg(QLatin1String(disposition)));
    };
    set(sig.ignore, "SIG_IGN");
    set(defaults, "SIG_DFL");
    s.after.line(QStringLiteral("for sig, handler in saved_handlers.items():"));
    s.after.line(QStringLiteral("    signal.signal(sig, handler)"));
}

void addRlimits(const SpawnPlan &plan, PythonScript &s)
{
    if (plan.rlimits.empty()) return;
    s.imports.insert(QStringLiteral("resource"));
    s.notes.append(QStringLiteral("Popen cannot express rlimits: preexec_fn is the only way. It "
                                  "runs Python in the child between fork and exec, which is not "
                                  "safe in a program with threads, and after user and group are "
                                  "set, so a limit the new user may not raise fails there."));
    for (const RlimitSetting &r : plan.rlimits)
        s.preexec.append(QStringLiteral("resource.setrlimit(resource.%1, (%2, %3))")
                             .arg(rlimitConstant(r.resource), pyLimit(r.soft), pyLimit(r.hard)));
}

void addPreexec(PythonScript &s)
{
    if (s.preexec.isEmpty()) return;
    Code f(QStringLiteral("# "));
    f.line(QStringLiteral("def preexec():"));
    f.indent();
    f.line(QStringLiteral("\"\"\"Runs in the child after fork, before exec.\"\"\""));
    for (const QString &statement : s.preexec)
        f.line(statement);
    s.helpers.append(f.text());
    s.kwargs.append(QStringLiteral("preexec_fn=preexec"));
}

void addPipeHelpers(PythonScript &s)
{
    if (!s.threadPool) return;
    s.imports.insert(QStringLiteral("concurrent.futures"));
    s.helpers.append(QStringLiteral("def read_all(fd):\n"
                                    "    with open(fd, \"rb\") as pipe:\n"
                                    "        return pipe.read()\n"));
    s.helpers.append(
        QStringLiteral("def write_all(fd, data):\n"
                       "    try:\n"
                       "        with open(fd, \"wb\") as pipe:\n"
                       "            pipe.write(data)\n"
                       "    except BrokenPipeError:\n"
                       "        pass  # the child closed its end without reading it all\n"));
}

// communicate() or wait(), under the plan's timeout.
void addWait(const SpawnPlan &plan, const PythonScript &s, Code &code)
{
    QStringList args;
    if (!s.input.isEmpty()) args.append(QStringLiteral("input=") + s.input);
    const QString call = s.stdioPipes ? QStringLiteral("out, err = proc.communicate(%1)")
                                      : QStringLiteral("proc.wait(%1)");
    if (plan.timeoutMs <= 0) {
        code.line(call.arg(args.join(QStringLiteral(", "))));
        return;
    }
    args.append(QStringLiteral("timeout=%1").arg(plan.timeoutMs / 1000.0));
    code.line(QStringLiteral("try:"));
    code.indent();
    code.line(call.arg(args.join(QStringLiteral(", "))));
    code.dedent();
    code.line(QStringLiteral("except subprocess.TimeoutExpired:"));
    code.indent();
    code.line(QStringLiteral("proc.kill()  # timeout_ms: spawnlab kills the child then too"));
    code.line(call.arg(QString()));
    code.dedent();
}

void addOutput(const PythonScript &s, Code &code)
{
    if (s.captured.size() == 1) {
        code.line(QStringLiteral("sys.stdout.buffer.write(%1)").arg(s.captured.first()));
    } else if (s.captured.size() > 1) {
        QStringList items;
        for (auto [fd, expression] : s.captured.asKeyValueRange())
            items.append(QStringLiteral("%1: %2").arg(fd).arg(expression));
        code.line(QStringLiteral("for fd, output in {%1}.items():").arg(items.join(", ")));
        code.line(QStringLiteral("    print(f\"--- fd {fd} ---\", flush=True)"));
        code.line(QStringLiteral("    sys.stdout.buffer.write(output)"));
    }
    code.comment(QStringLiteral("A child killed by a signal exits the way a shell reports it: "
                                "128 + the signal."));
    code.line(QStringLiteral("sys.exit(proc.returncode if proc.returncode >= 0 else 128 - "
                             "proc.returncode)"));
}

// `body` is the rest of the script: a module is imported only where it is used.
QString header(const SpawnPlan &plan, const PythonScript &s, const QString &body)
{
    Code h(QStringLiteral("# "));
    h.line(QStringLiteral("#!/usr/bin/env python3"));
    const bool py311 = plan.pgid.has_value();
    const bool py39 = plan.umask || plan.credentials;
    h.comment(QStringLiteral("The spawn plan as Python's subprocess.Popen, generated by "
                             "spawnlab%1.")
                  .arg(py311  ? QStringLiteral(" (needs Python 3.11: process_group)")
                       : py39 ? QStringLiteral(" (needs Python 3.9)")
                              : QString()));
    for (const QString &note :
         spawnlabOnly(plan, QStringLiteral("subprocess picks vfork or fork itself")) + s.notes)
        h.comment(note);
    for (const QString &module : s.imports)
        if (body.contains(module + QLatin1Char('.'))) h.line(QStringLiteral("import ") + module);
    return h.text();
}

} // namespace

QString exportPython(const SpawnPlan &plan)
{
    PythonScript s;
    addPythonFds(plan, s);
    addProcessKwargs(plan, s);
    addSignals(plan, s);
    addRlimits(plan, s);
    addPipeHelpers(s);
    addPreexec(s);

    Code main(QStringLiteral("# "));
    main.line(QStringLiteral("proc = subprocess.Popen("));
    main.indent();
    main.line(pyList(plan.argv) + QLatin1Char(','));
    for (const QString &kwarg : s.kwargs)
        main.line(kwarg + QLatin1Char(','));
    main.dedent();
    main.line(QStringLiteral(")"));
    Code finish(QStringLiteral("# "));
    if (s.threadPool) {
        finish.line(QStringLiteral("with concurrent.futures.ThreadPoolExecutor() as pool:"));
        finish.indent();
        for (const QString &submit : s.submits)
            finish.line(submit);
    }
    addWait(plan, s, finish);
    if (s.threadPool) finish.dedent();
    addOutput(s, finish);

    QStringList blocks;
    for (const QString &helper : s.helpers)
        blocks.append(QStringLiteral("\n") + helper.trimmed());
    blocks.append(QStringLiteral("\n") +
                  (s.setup.text() + main.text() + s.after.text() + finish.text()).trimmed());
    blocks.prepend(header(plan, s, blocks.join(QLatin1Char('\n'))).trimmed());
    return blocks.join(QStringLiteral("\n\n")) + QLatin1Char('\n');
}

QString pyString(const std::string &s)
{
    // As repr() writes it: single quotes unless the text has ' but no ".
    const bool text = isUtf8(s);
    const bool single = s.find('\'') == std::string::npos || s.find('"') != std::string::npos;
    const QChar quote = QLatin1Char(single ? '\'' : '"');
    QString out = (text ? QString() : QStringLiteral("b")) + quote;
    auto escape = [&](char32_t c, bool printable) {
        if (c == '\\' || c == quote.unicode())
            out += QLatin1Char('\\') + QChar(char16_t(c));
        else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\t')
            out += QStringLiteral("\\t");
        else if (!printable)
            out += hexByte(unsigned(c));
        else
            out += QString::fromUcs4(&c, 1);
    };
    if (text) {
        for (char32_t c : qs(s).toUcs4())
            escape(c, c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0));
    } else {
        for (unsigned char c : s)
            escape(c, c >= 0x20 && c < 0x7f);
    }
    return out + quote;
}

QString pyBytes(const std::string &s)
{
    QString literal = pyString(s);
    if (literal.startsWith(QLatin1Char('b'))) return literal;
    // A bytes literal holds only ASCII: encode the rest as UTF-8 escapes.
    return asciiBytesLiteral(s, QStringLiteral("b'"), QLatin1Char('\''));
}

QString pySignal(int sig)
{
    // Real-time signals have no constant of their own: "SIGRTMIN+3".
    const QString name = signalText(sig);
    const auto plus = name.indexOf(QLatin1Char('+'));
    if (plus < 0) return QStringLiteral("signal.") + name;
    return QStringLiteral("signal.%1 + %2").arg(name.left(plus), name.mid(plus + 1));
}

} // namespace spawnlab::codeexport
