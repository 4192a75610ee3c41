// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/tracereportjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "spawnlab/names.h"

#include <sys/sysmacros.h>

namespace spawnlab {
namespace {

struct Bad {
    QString message;
};

std::string text(const QJsonObject &o, const char *key)
{
    return o[QLatin1String(key)].toString().toStdString();
}

QJsonArray list(const QJsonObject &o, const char *key, const QString &where)
{
    const QJsonValue v = o[QLatin1String(key)];
    if (v.isUndefined() || v.isNull()) return {};
    if (!v.isArray()) throw Bad{where + QLatin1String(key) + QObject::tr(": not a list")};
    return v.toArray();
}

std::vector<std::string> strings(const QJsonArray &a)
{
    std::vector<std::string> out;
    for (const QJsonValue &v : a)
        out.push_back(v.toString().toStdString());
    return out;
}

std::optional<ExitStatus> exitOf(const QJsonValue &v)
{
    if (!v.isObject()) return std::nullopt;
    const QJsonObject o = v.toObject();
    ExitStatus e;
    e.exited = o.contains(u"code");
    e.code = o[u"code"].toInt();
    e.signal = o[u"signal"].toInt();
    return e;
}

FdEntry entryOf(const QJsonObject &o)
{
    FdEntry e;
    e.fd = o[u"fd"].toInt(-1);
    e.target = text(o, "target");
    e.kind = parseFdKind(text(o, "kind")).value_or(FdKind::Other);
    e.subkind = text(o, "subkind");
    e.cloexec = o[u"cloexec"].toBool();
    e.access = parseFdAccess(text(o, "access")).value_or(FdAccess::Read);
    e.pos = std::uint64_t(o[u"pos"].toDouble());
    e.inode = std::uint64_t(o[u"inode"].toDouble());
    const QStringList device = o[u"device"].toString().split(u':');
    if (device.size() == 2) e.device = makedev(device[0].toUInt(), device[1].toUInt());
    const QJsonObject a = o[u"anon"].toObject();
    e.anon.pid = a[u"pid"].toInt();
    e.anon.count = a[u"count"].toInteger(-1);
    e.anon.eventfdId = a[u"eventfd_id"].toInteger(-1);
    for (const QJsonValue &fd : a[u"watched_fds"].toArray())
        e.anon.watchedFds.push_back(fd.toInt());
    e.anon.clock = text(a, "clock");
    e.anon.valueNs = a[u"value_ns"].toInteger(-1);
    e.anon.intervalNs = a[u"interval_ns"].toInteger(-1);
    for (const QJsonValue &sig : a[u"signals"].toArray())
        if (auto n = parseSignal(sig.toString().toStdString())) e.anon.signals.push_back(*n);
    e.anon.watches = a[u"watches"].toInt(-1);
    const QJsonObject s = o[u"socket"].toObject();
    e.socket.protocol = text(s, "protocol");
    e.socket.type = text(s, "type");
    e.socket.local = text(s, "local");
    e.socket.remote = text(s, "remote");
    e.socket.state = text(s, "state");
    e.socket.peerInode = std::uint64_t(s[u"peer_inode"].toDouble());
    e.socket.detail = text(s, "detail");
    // The ports are in the addresses ("127.0.0.1:8042", "[::1]:8042").
    auto port = [](const std::string &address) {
        const std::size_t colon = address.rfind(':');
        return colon == std::string::npos ? -1 : std::atoi(address.c_str() + colon + 1);
    };
    if (e.socket.protocol.rfind("tcp", 0) == 0 || e.socket.protocol.rfind("udp", 0) == 0) {
        e.socket.localPort = port(e.socket.local);
        e.socket.remotePort = e.socket.remote.empty() ? -1 : port(e.socket.remote);
    }
    return e;
}

std::shared_ptr<FdOrigin> originOf(const QJsonObject &o, std::vector<FdCarry> &carried)
{
    auto origin = std::make_shared<FdOrigin>();
    origin->known = o[u"known"].toBool();
    origin->unknownWhy = text(o, "why");
    origin->pid = o[u"pid"].toInt();
    origin->tid = o[u"tid"].toInt();
    origin->exe = text(o, "exe");
    origin->syscall = text(o, "syscall");
    origin->call = text(o, "call");
    origin->flags = text(o, "flags");
    origin->cloexec = o[u"cloexec"].toBool();
    origin->tUs = o[u"t_us"].toDouble();
    origin->markedCloexecUs = o[u"marked_cloexec_t_us"].toDouble(-1);
    origin->markedByTid = o[u"marked_by_tid"].toInt();
    origin->stack = strings(o[u"stack"].toArray());
    for (const QJsonValue &v : o[u"carried_by"].toArray()) {
        const QJsonObject c = v.toObject();
        const QString how = c[u"how"].toString();
        carried.push_back({c[u"ppid"].toInt(), c[u"pid"].toInt(), c[u"tid"].toInt(),
                           how == u"vfork"   ? "vfork"
                           : how == u"clone" ? "clone"
                                             : "fork",
                           c[u"t_us"].toDouble()});
    }
    return origin;
}

TraceReport reportOf(const QJsonObject &o)
{
    TraceReport r;
    r.command = strings(list(o, "command", {}));
    r.attached = o[u"attached"].toInt();
    if (o[u"error"].isString()) r.error = text(o, "error");
    r.exit = exitOf(o[u"exit"]);
    const QJsonArray processes = list(o, "processes", {});
    for (const QJsonValue &v : processes) {
        const QJsonObject p = v.toObject();
        r.processes.push_back({p[u"pid"].toInt(), p[u"ppid"].toInt(), text(p, "exe"),
                               strings(p[u"argv"].toArray()), exitOf(p[u"exit"])});
    }
    const QJsonArray execs = list(o, "execs", {});
    for (int i = 0; i < execs.size(); ++i) {
        const QJsonObject e = execs[i].toObject();
        TracedExec exec;
        exec.pid = e[u"pid"].toInt();
        exec.exe = text(e, "exe");
        exec.argv = strings(e[u"argv"].toArray());
        exec.tUs = e[u"t_us"].toDouble();
        const QString where = QStringLiteral("execs[%1].").arg(i);
        for (const QJsonValue &v : list(e, "inherited", where)) {
            const QJsonObject in = v.toObject();
            InheritedFd fd;
            fd.fd = in[u"fd"].toInt();
            fd.entry = entryOf(in[u"entry"].toObject());
            fd.verdict = parseVerdict(text(in, "verdict")).value_or(FdVerdict::Leaked);
            fd.why = text(in, "why");
            const QJsonObject origin = in[u"origin"].toObject();
            fd.via = text(origin, "via");
            fd.madeInheritableBy = text(origin, "made_inheritable_by");
            fd.origin = originOf(origin, fd.carriedBy);
            exec.inherited.push_back(std::move(fd));
        }
        r.execs.push_back(std::move(exec));
    }
    const QJsonArray findings = list(o, "findings", {});
    for (int i = 0; i < findings.size(); ++i) {
        const QJsonObject f = findings[i].toObject();
        const int exec = f[u"exec"].toInt(-1);
        if (exec < 0 || exec >= int(r.execs.size()))
            throw Bad{QObject::tr("findings[%1].exec: no exec %2 in the report").arg(i).arg(exec)};
        r.findings.push_back({parseSeverity(text(f, "severity")).value_or(Severity::Low),
                              std::size_t(exec), f[u"fd"].toInt(), text(f, "message")});
    }
    const QJsonObject overhead = o[u"overhead"].toObject();
    r.overhead.elapsedUs = overhead[u"elapsed_us"].toDouble();
    r.overhead.syscallStops = std::uint64_t(overhead[u"syscall_stops"].toDouble());
    r.overhead.eventStops = std::uint64_t(overhead[u"event_stops"].toDouble());
    r.overhead.seccomp = overhead[u"seccomp"].toBool();
    r.notes = strings(list(o, "notes", {}));
    return r;
}

} // namespace

std::optional<TraceReport> readTraceReport(const QByteArray &json, QString *error)
{
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parse);
    auto fail = [error](const QString &message) {
        if (error) *error = message;
        return std::nullopt;
    };
    if (parse.error != QJsonParseError::NoError)
        return fail(
            QObject::tr("not JSON: %1 at byte %2").arg(parse.errorString()).arg(parse.offset));
    const QJsonObject o = doc.object();
    if (!doc.isObject() || !o.contains(u"processes") || !o.contains(u"execs"))
        return fail(QObject::tr("not a leak hunt report: it has no \"processes\" and \"execs\""));
    try {
        return reportOf(o);
    } catch (const Bad &bad) {
        return fail(bad.message);
    }
}

} // namespace spawnlab
