// SPDX-License-Identifier: GPL-3.0-or-later
// The trace report as the `trace` contract's JSON, and as text a person reads.
#include "json_object.h"

#include "spawnlab/fd_json.h"
#include "spawnlab/json_text.h"
#include "spawnlab/names.h"
#include "spawnlab/trace.h"
#include "spelling.h"

#include <iomanip>
#include <map>
#include <sstream>

namespace spawnlab {
namespace {

using detail::jsonArray;
using detail::JsonObject;

std::string stringList(const std::vector<std::string> &items)
{
    std::vector<std::string> quoted;
    for (const auto &s : items)
        quoted.push_back(jsonString(s));
    return jsonArray(quoted);
}

std::string exitJson(const std::optional<ExitStatus> &exit)
{
    if (!exit) return "null";
    JsonObject o;
    if (exit->exited) return o.number("code", exit->code).done();
    return o.number("signal", exit->signal).text("signal_name", signalName(exit->signal)).done();
}

std::string originJson(const InheritedFd &in)
{
    const FdOrigin &o = *in.origin;
    std::vector<std::string> carried;
    for (const FdCarry &c : in.carriedBy)
        carried.push_back(JsonObject()
                              .number("ppid", c.ppid)
                              .number("pid", c.pid)
                              .number("tid", c.byTid)
                              .text("how", c.how)
                              .number("t_us", (long long)c.tUs)
                              .done());
    JsonObject j;
    if (!o.known) {
        j.flag("known", false).text("why", o.unknownWhy);
    } else {
        j.flag("known", true)
            .number("pid", o.pid)
            .number("tid", o.tid)
            .text("exe", o.exe)
            .text("syscall", o.syscall)
            .text("call", o.call)
            .text("flags", o.flags)
            .flag("cloexec", o.cloexec)
            .number("t_us", (long long)o.tUs);
        if (o.markedCloexecUs >= 0)
            j.number("marked_cloexec_t_us", (long long)o.markedCloexecUs)
                .number("marked_by_tid", o.markedByTid);
    }
    j.raw("carried_by", jsonArray(carried)).raw("stack", stringList(o.stack));
    if (!in.via.empty()) j.text("via", in.via);
    if (!in.madeInheritableBy.empty()) j.text("made_inheritable_by", in.madeInheritableBy);
    return j.done();
}

std::string inheritedJson(const InheritedFd &in, pid_t owner)
{
    JsonObject j;
    j.number("fd", in.fd)
        .raw("entry", fdEntryJson(in.entry, false, owner))
        .text("verdict", verdictName(in.verdict))
        .text("why", in.why)
        .raw("origin", originJson(in));
    return j.done();
}

std::string execJson(const TracedExec &e)
{
    std::vector<std::string> inherited;
    for (const InheritedFd &in : e.inherited)
        inherited.push_back(inheritedJson(in, e.pid));
    JsonObject j;
    j.number("pid", e.pid)
        .text("exe", e.exe)
        .raw("argv", stringList(e.argv))
        .number("t_us", (long long)e.tUs)
        .raw("inherited", jsonArray(inherited, ",\n      "));
    return j.done();
}

const InheritedFd *inheritedOf(const TraceReport &r, const LeakFinding &f)
{
    for (const InheritedFd &candidate : r.execs.at(f.execIndex).inherited)
        if (candidate.fd == f.fd) return &candidate;
    return nullptr;
}

std::string findingJson(const TraceReport &r, const LeakFinding &f)
{
    const TracedExec &e = r.execs.at(f.execIndex);
    const InheritedFd *in = inheritedOf(r, f);
    JsonObject j;
    j.text("severity", severityName(f.severity))
        .number("pid", e.pid)
        .text("exe", e.exe)
        .raw("argv", stringList(e.argv))
        .number("exec", (long long)f.execIndex)
        .number("fd", f.fd);
    if (in)
        j.text("kind", fdKindName(in->entry.kind))
            .text("target", in->entry.target)
            .text("description", fdDescription(in->entry));
    j.text("message", f.message);
    if (in) j.raw("origin", originJson(*in));
    return j.done();
}

std::string processJson(const TracedProcess &p)
{
    JsonObject j;
    j.number("pid", p.pid)
        .number("ppid", p.ppid)
        .text("exe", p.exe)
        .raw("argv", stringList(p.argv))
        .raw("exit", exitJson(p.exit));
    return j.done();
}

std::string exitText(const std::optional<ExitStatus> &exit)
{
    return exit ? exitStatusText(*exit) : "still running";
}

std::string argvText(const TracedProcess &p)
{
    std::string out;
    for (const auto &a : p.argv)
        out += (out.empty() ? "" : " ") + a;
    return terminalText(out.empty() ? p.exe : out);
}

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

} // namespace

namespace {
constexpr std::array<Spelling<Severity>, 3> severities{
    {{Severity::Low, "low"}, {Severity::Medium, "medium"}, {Severity::High, "high"}}};
constexpr std::array<Spelling<FdVerdict>, 2> verdicts{
    {{FdVerdict::Intended, "intended"}, {FdVerdict::Leaked, "leaked"}}};
} // namespace

std::string_view severityName(Severity s)
{
    return nameOf(severities, s, "");
}

std::string_view verdictName(FdVerdict v)
{
    return nameOf(verdicts, v, "leaked");
}

std::optional<Severity> parseSeverity(std::string_view name)
{
    return valueOf(severities, name);
}

std::optional<FdVerdict> parseVerdict(std::string_view name)
{
    return valueOf(verdicts, name);
}

std::string traceReportJson(const TraceReport &r)
{
    std::vector<std::string> processes, execs, findings;
    for (const auto &p : r.processes)
        processes.push_back(processJson(p));
    for (const auto &e : r.execs)
        execs.push_back(execJson(e));
    for (const auto &f : r.findings)
        findings.push_back(findingJson(r, f));
    JsonObject overhead;
    overhead.number("elapsed_us", (long long)r.overhead.elapsedUs)
        .number("syscall_stops", (long long)r.overhead.syscallStops)
        .number("event_stops", (long long)r.overhead.eventStops)
        .flag("seccomp", r.overhead.seccomp);
    JsonObject j;
    if (r.attached)
        j.number("attached", r.attached);
    else
        j.raw("command", stringList(r.command));
    j.raw("error", r.error ? jsonString(*r.error) : "null")
        .raw("exit", exitJson(r.exit))
        .raw("processes", jsonArray(processes, ",\n    "))
        .raw("execs", jsonArray(execs, ",\n    "))
        .raw("findings", jsonArray(findings, ",\n    "))
        .raw("overhead", overhead.done())
        .raw("notes", stringList(r.notes));
    return j.done() + "\n";
}

std::string traceReportText(const TraceReport &r)
{
    std::ostringstream out;
    // Paths, argv and names inside the sentences are the traced programs'
    // bytes: terminalText keeps each item on its line.
    if (r.error) out << "error: " << terminalText(*r.error) << "\n";
    // The tree: children under their parent, in the order they appeared.
    std::multimap<pid_t, std::size_t> children;
    std::map<pid_t, bool> seen;
    for (std::size_t i = 0; i < r.processes.size(); ++i)
        seen[r.processes[i].pid] = true;
    std::vector<std::size_t> roots;
    for (std::size_t i = 0; i < r.processes.size(); ++i) {
        if (seen.count(r.processes[i].ppid) && r.processes[i].ppid != r.processes[i].pid)
            children.emplace(r.processes[i].ppid, i);
        else
            roots.push_back(i);
    }
    std::map<pid_t, int> leaks;
    for (const auto &f : r.findings)
        ++leaks[r.execs.at(f.execIndex).pid];
    out << "processes (" << r.processes.size() << "):\n";
    auto print = [&](auto &&self, std::size_t i, int depth) -> void {
        const TracedProcess &p = r.processes[i];
        out << std::string(std::size_t(2 + 2 * depth), ' ') << p.pid << " " << argvText(p) << "  ["
            << exitText(p.exit) << "]";
        if (leaks.count(p.pid)) out << "  << inherited " << leaks[p.pid] << " leaked fd(s)";
        out << "\n";
        auto [from, to] = children.equal_range(p.pid);
        for (auto it = from; it != to; ++it)
            self(self, it->second, depth + 1);
    };
    for (std::size_t i : roots)
        print(print, i, 0);
    out << r.execs.size() << " exec(s), " << r.findings.size() << " finding(s)";
    if (r.findings.empty()) out << ": no fd crossed an exec by mistake";
    out << "\n";
    for (const auto &f : r.findings) {
        out << "\n" << upper(severityName(f.severity)) << "  " << terminalText(f.message) << "\n";
        const InheritedFd *in = inheritedOf(r, f);
        if (!in || in->origin->stack.empty()) continue;
        out << "    made at:\n";
        for (std::size_t i = 0; i < in->origin->stack.size() && i < 8; ++i)
            out << "      " << terminalText(in->origin->stack[i]) << "\n";
    }
    for (const auto &n : r.notes)
        out << "\nnote: " << terminalText(n) << "\n";
    // Milliseconds as a person reads them: "0.003 s", "12.345 s", not "0.00312757 s".
    out << "\ntraced for " << std::fixed << std::setprecision(3) << r.overhead.elapsedUs / 1e6
        << " s: " << r.overhead.syscallStops << " syscall stops, " << r.overhead.eventStops
        << " other stops" << (r.overhead.seccomp ? " (seccomp filter)" : " (every syscall stops)")
        << "\n";
    return out.str();
}

} // namespace spawnlab
