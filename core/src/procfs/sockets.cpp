// SPDX-License-Identifier: GPL-3.0-or-later
// Socket details from the text tables in /proc/PID/net, one pass per table and
// namespace. We read /proc rather than asking NETLINK_SOCK_DIAG for every
// family: the tables are in the process's own namespace without setns(), and
// one read of each is a few hundred microseconds even with thousands of rows.
// sock_diag is used for the one thing no table has: a unix socket's peer.
#include "procfs/sockets.h"

#include "procfs/proc_text.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <array>
#include <cstring>

namespace spawnlab::detail {
namespace {

constexpr std::array<std::string_view, 13> tcpStates{
    "",      "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",   "TIME_WAIT",
    "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",   "NEW_SYN_RECV"};

// "0100007F:BB9D" -> 127.0.0.1, 48029. The kernel prints each 32-bit word of
// the (network-order) address as a native integer, and the port in host order.
bool parseAddress(std::string_view text, bool v6, std::string &address, int &port)
{
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return false;
    const auto hex = text.substr(0, colon);
    const auto portValue = parseNumber<unsigned>(text.substr(colon + 1), 16);
    const std::size_t words = v6 ? 4 : 1;
    if (!portValue || hex.size() != words * 8) return false;
    std::array<std::uint32_t, 4> raw{};
    for (std::size_t i = 0; i < words; ++i) {
        auto word = parseNumber<std::uint32_t>(hex.substr(i * 8, 8), 16);
        if (!word) return false;
        raw[i] = *word;
    }
    port = int(*portValue);
    const bool any = raw == std::array<std::uint32_t, 4>{};
    if (any) {
        address = "*";
        return true;
    }
    char buf[INET6_ADDRSTRLEN];
    if (!::inet_ntop(v6 ? AF_INET6 : AF_INET, raw.data(), buf, sizeof buf)) return false;
    address = v6 ? "[" + std::string(buf) + "]" : std::string(buf);
    return true;
}

std::string_view netlinkProtocol(unsigned protocol)
{
    constexpr std::array<std::string_view, 23> names{
        "route",         "unused",   "usersock", "firewall",       "sock_diag",  "nflog",
        "xfrm",          "selinux",  "iscsi",    "audit",          "fib_lookup", "connector",
        "netfilter",     "ip6_fw",   "dnrtmsg",  "kobject_uevent", "generic",    "",
        "scsitransport", "ecryptfs", "rdma",     "crypto",         "smc"};
    return protocol < names.size() ? names[protocol] : std::string_view();
}

void parseNetlinkRow(std::string_view row, SocketMap &out)
{
    auto inode = parseNumber<std::uint64_t>(field(row, 9));
    auto protocol = parseNumber<unsigned>(field(row, 1));
    if (!inode || !protocol || *inode == 0) return;
    SocketInfo &s = out[*inode];
    s.protocol = "netlink";
    s.type = "raw";
    const auto name = netlinkProtocol(*protocol);
    s.detail = (name.empty() ? "protocol " + std::to_string(*protocol) : std::string(name)) +
               ", portid " + std::string(field(row, 2));
}

void parsePacketRow(std::string_view row, SocketMap &out)
{
    auto inode = parseNumber<std::uint64_t>(field(row, 8));
    auto type = parseNumber<int>(field(row, 2));
    if (!inode || *inode == 0) return;
    SocketInfo &s = out[*inode];
    s.protocol = "packet";
    s.type = type == SOCK_DGRAM ? "dgram" : type == SOCK_RAW ? "raw" : "";
    s.detail =
        "ethertype 0x" + std::string(field(row, 3)) + ", interface " + std::string(field(row, 4));
}

struct Table {
    const char *path;
    std::string_view protocol;
    enum Format { Inet, Inet6, Unix, Netlink, Packet } format;
};
constexpr std::array<Table, 11> tables{{{"net/unix", "unix", Table::Unix},
                                        {"net/tcp", "tcp", Table::Inet},
                                        {"net/tcp6", "tcp6", Table::Inet6},
                                        {"net/udp", "udp", Table::Inet},
                                        {"net/udp6", "udp6", Table::Inet6},
                                        {"net/udplite", "udplite", Table::Inet},
                                        {"net/udplite6", "udplite6", Table::Inet6},
                                        {"net/raw", "raw", Table::Inet},
                                        {"net/raw6", "raw6", Table::Inet6},
                                        {"net/netlink", "netlink", Table::Netlink},
                                        {"net/packet", "packet", Table::Packet}}};

SocketMap readTables(int procFd)
{
    SocketMap sockets;
    for (const Table &table : tables) {
        // Kernels without IPv6 or packet sockets have no such file: nothing to find there.
        const auto file = readFile(procFd, table.path);
        std::string_view rest(file.text);
        nextLine(rest); // the header
        while (!rest.empty()) {
            const auto row = nextLine(rest);
            SocketInfo info;
            std::uint64_t inode = 0;
            switch (table.format) {
            case Table::Inet:
            case Table::Inet6:
                if (parseInetRow(row, table.protocol, info, inode) && inode != 0)
                    sockets.emplace(inode, std::move(info));
                break;
            case Table::Unix:
                if (parseUnixRow(row, info, inode) && inode != 0)
                    sockets.emplace(inode, std::move(info));
                break;
            case Table::Netlink:
                parseNetlinkRow(row, sockets);
                break;
            case Table::Packet:
                parsePacketRow(row, sockets);
                break;
            }
        }
    }
    return sockets;
}

// Every unix socket's peer inode in this process's namespace (UDIAG_SHOW_PEER).
// Failure leaves the peers unknown (0), which the entries then say nothing about.
void addUnixPeers(SocketMap &sockets)
{
    UniqueFd nl(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (nl.get() < 0) return;
    struct {
        nlmsghdr header;
        unix_diag_req request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.request.sdiag_family = AF_UNIX;
    message.request.udiag_states = ~0u;
    message.request.udiag_show = UDIAG_SHOW_PEER;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(nl.get(), &message, sizeof message, 0, reinterpret_cast<sockaddr *>(&kernel),
                 sizeof kernel) < 0)
        return;
    alignas(nlmsghdr) char buffer[32768];
    for (;;) {
        const ssize_t n = ::recv(nl.get(), buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        int left = int(n);
        // NLMSG_OK compares the header's __u32 length with this int, as
        // netlink(3) has it; clang warns inside the macro, GCC does not.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
        for (auto *h = reinterpret_cast<nlmsghdr *>(buffer); NLMSG_OK(h, left);
             h = NLMSG_NEXT(h, left)) {
#pragma GCC diagnostic pop
            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) return;
            const auto *m = static_cast<const unix_diag_msg *>(NLMSG_DATA(h));
            auto attrLength = int(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
            for (auto *a = reinterpret_cast<rtattr *>(const_cast<unix_diag_msg *>(m) + 1);
                 RTA_OK(a, attrLength); a = RTA_NEXT(a, attrLength)) {
                if (a->rta_type != UNIX_DIAG_PEER) continue;
                std::uint32_t peer = 0;
                std::memcpy(&peer, RTA_DATA(a), sizeof peer);
                if (auto it = sockets.find(m->udiag_ino); it != sockets.end())
                    it->second.peerInode = peer;
            }
        }
    }
}

// The inode of the network namespace `procFd` is in; 0 when we may not look.
std::uint64_t namespaceOf(int procFd)
{
    struct stat st {
    };
    return ::fstatat(procFd, "ns/net", &st, 0) == 0 ? std::uint64_t(st.st_ino) : 0;
}

} // namespace

bool parseInetRow(std::string_view row, std::string_view protocol, SocketInfo &out,
                  std::uint64_t &inode)
{
    const bool v6 = protocol.ends_with('6');
    if (!parseAddress(field(row, 1), v6, out.local, out.localPort)) return false;
    if (!parseAddress(field(row, 2), v6, out.remote, out.remotePort)) return false;
    auto state = parseNumber<unsigned>(field(row, 3), 16);
    auto number = parseNumber<std::uint64_t>(field(row, 9));
    if (!state || !number) return false;
    inode = *number;
    out.protocol = std::string(protocol);
    const bool tcp = protocol.starts_with("tcp");
    out.type = tcp ? "stream" : protocol.starts_with("raw") ? "raw" : "dgram";
    if (tcp) {
        out.state = *state < tcpStates.size() ? std::string(tcpStates[*state]) : "";
    } else {
        // udp and raw reuse TCP_ESTABLISHED and TCP_CLOSE for connect()ed or not.
        out.state = *state == 1 ? "CONNECTED" : "UNCONNECTED";
    }
    if (out.remote == "*" && out.remotePort == 0) {
        out.remote.clear();
        out.remotePort = -1;
    } else {
        out.remote += ":" + std::to_string(out.remotePort);
    }
    out.local += ":" + std::to_string(out.localPort);
    return true;
}

bool parseUnixRow(std::string_view row, SocketInfo &out, std::uint64_t &inode)
{
    auto flags = parseNumber<unsigned>(field(row, 3), 16);
    auto type = parseNumber<unsigned>(field(row, 4), 16);
    auto state = parseNumber<unsigned>(field(row, 5), 16);
    auto number = parseNumber<std::uint64_t>(field(row, 6));
    if (!flags || !type || !state || !number) return false;
    inode = *number;
    out.protocol = "unix";
    out.type = *type == SOCK_STREAM      ? "stream"
               : *type == SOCK_DGRAM     ? "dgram"
               : *type == SOCK_SEQPACKET ? "seqpacket"
                                         : "";
    constexpr unsigned acceptConnections = 0x10000; // __SO_ACCEPTCON: listen() was called
    constexpr std::array<std::string_view, 5> states{"", "UNCONNECTED", "CONNECTING", "CONNECTED",
                                                     "DISCONNECTING"};
    out.state = (*flags & acceptConnections) ? "LISTEN"
                : *state < states.size()     ? std::string(states[*state])
                                             : "";
    // The path is the rest of the row (it may hold blanks); abstract names
    // start with '@', as the kernel prints their leading NUL.
    const auto inodeText = field(row, 6);
    const auto after = std::size_t(inodeText.data() - row.data()) + inodeText.size();
    auto path = row.substr(after);
    const auto start = path.find_first_not_of(' ');
    out.local = start == std::string_view::npos ? "" : std::string(path.substr(start));
    return true;
}

const SocketMap &SocketTables::of(int procFd)
{
    const std::uint64_t ns = namespaceOf(procFd);
    if (ns == 0) {
        m_unknownNamespace = readTables(procFd);
        return m_unknownNamespace;
    }
    auto [it, added] = m_byNamespace.try_emplace(ns);
    if (added) {
        it->second.sockets = readTables(procFd);
        // sock_diag answers for the namespace we are in, so only there.
        static const std::uint64_t ours = [] {
            UniqueFd self(::open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC));
            return self.get() < 0 ? 0 : namespaceOf(self.get());
        }();
        if (ns == ours) addUnixPeers(it->second.sockets);
    }
    return it->second.sockets;
}

} // namespace spawnlab::detail
