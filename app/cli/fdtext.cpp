// SPDX-License-Identifier: GPL-3.0-or-later
#include "fdtext.h"

#include "spawnlab/fddiff.h"
#include "spawnlab/json_text.h"

#include <algorithm>
#include <array>
#include <vector>

namespace spawnlab {
namespace {

// Rows padded to their columns' widths; the last column is unpadded, so long
// paths do not drag trailing spaces.
template <std::size_t N> std::string columns(const std::vector<std::array<std::string, N>> &rows)
{
    std::array<std::size_t, N> width{};
    for (const auto &row : rows)
        for (std::size_t c = 0; c < N; ++c)
            width[c] = std::max(width[c], row[c].size());
    std::string out;
    for (const auto &row : rows) {
        for (std::size_t c = 0; c + 1 < N; ++c)
            out += row[c] + std::string(width[c] - row[c].size() + 2, ' ');
        out += row.back() + '\n';
    }
    return out;
}

std::string modeText(const FdEntry &e)
{
    std::string mode(fdAccessName(e.access));
    if (e.cloexec) mode += ",cloexec";
    return mode;
}

std::string typeText(const FdEntry &e)
{
    std::string type(fdKindName(e.kind));
    if (!e.subkind.empty()) type += "/" + e.subkind;
    return type;
}

// "sleep (pid 812) fd 1 w, same pipe"
std::string peerText(const FdPeer &p)
{
    return terminalText(p.comm) + " (pid " + std::to_string(p.pid) + ") fd " +
           std::to_string(p.fd) + " " + std::string(fdAccessName(FdAccess(p.access))) +
           (p.cloexec ? ",cloexec" : "") + ", " + p.relation;
}

} // namespace

std::string fdTableText(const FdTable &table, pid_t pid)
{
    std::vector<std::array<std::string, 5>> rows{{"FD", "MODE", "TYPE", "NODE", "NAME"}};
    for (const FdEntry &e : table)
        rows.push_back({std::to_string(e.fd), modeText(e), typeText(e), std::to_string(e.inode),
                        terminalText(fdDescription(e))});
    std::string out = columns(rows);
    // Below the table rather than in a column: the sentences are long, and NAME
    // stays the last column so paths with spaces still read.
    std::string notes;
    for (const FdEntry &e : table)
        if (auto risk = leakRisk(e, pid))
            notes += "fd " + std::to_string(e.fd) + " may leak, " + terminalText(*risk) + '\n';
    for (const FdEntry &e : table) {
        if (e.peers.empty()) continue;
        notes += "fd " + std::to_string(e.fd) + " is also held by ";
        for (std::size_t i = 0; i < e.peers.size(); ++i)
            notes += (i ? "; " : "") + peerText(e.peers[i]);
        notes += '\n';
    }
    if (!notes.empty()) out += "\n" + notes;
    return out;
}

std::string holdersText(const std::vector<Holder> &holders)
{
    std::vector<std::array<std::string, 6>> rows{{"PID", "COMM", "FD", "MODE", "TYPE", "NAME"}};
    for (const Holder &h : holders)
        rows.push_back({std::to_string(h.pid), terminalText(h.comm), std::to_string(h.entry.fd),
                        modeText(h.entry), typeText(h.entry),
                        terminalText(fdDescription(h.entry))});
    return columns(rows);
}

std::string deniedSentence(const HolderIndex &index)
{
    const auto &pids = index.deniedPids();
    std::string list;
    for (std::size_t i = 0; i < pids.size() && i < 5; ++i)
        list += (i ? ", " : "") + std::to_string(pids[i]);
    if (pids.size() > 5) list += ", ...";
    return std::to_string(pids.size()) + " process" + (pids.size() == 1 ? "" : "es") +
           " could not be read (pid" + (pids.size() == 1 ? " " : "s ") + list +
           "): the kernel lets only their owner or root (CAP_SYS_PTRACE) see their fds";
}

} // namespace spawnlab
