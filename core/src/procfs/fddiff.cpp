// SPDX-License-Identifier: GPL-3.0-or-later
// Comparing fd tables. /proc names inodes, not open file descriptions, so "the
// same open file" here is the same inode opened with the same access mode: two
// opens of one file look alike, and a dup of fd 0 cannot be told from a dup of
// fd 1 when both are the terminal. Good enough to explain a table to a person.
#include "spawnlab/fddiff.h"
#include "spelling.h"

#include <fcntl.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <tuple>
#include <utility>

namespace spawnlab {
namespace {

// File status flags live in the open file, not the fd: a child that sets
// O_NONBLOCK on an inherited pipe sets it for its parent too. Worth a note.
struct StatusFlag {
    int bit;
    const char *name;
};
constexpr StatusFlag statusFlags[] = {{O_APPEND, "O_APPEND"}, {O_NONBLOCK, "O_NONBLOCK"}};

bool sameOpenFile(const FdEntry &a, const FdEntry &b)
{
    return sameFile(a, b) && a.access == b.access;
}

// "pipe:[123] (write end)": a pipe's target does not say which end it is.
std::string describe(const FdEntry &e)
{
    if (e.kind != FdKind::Pipe || e.access == FdAccess::ReadWrite) return e.target;
    return e.target + (e.access == FdAccess::Write ? " (write end)" : " (read end)");
}

std::string cloexecNote(bool nowSet)
{
    return nowSet ? "CLOEXEC set: now closed at exec"
                  : "CLOEXEC cleared: now inherited across exec";
}

// Which fds of a table hold each open file, so a diff of two big tables (a
// parent with thousands of fds, close_fds=false) stays n log n.
class OpenFiles
{
public:
    // With `previous` (the table before), also remembers for each open file the
    // first fd that newly holds it: where a renumbered fd went.
    explicit OpenFiles(const FdTable &table, const OpenFiles *previous = nullptr)
    {
        for (const FdEntry &e : table) {
            byFd_[e.fd] = &e;
            byFile_[key(e)].push_back(&e);
            const FdEntry *was = previous ? previous->at(e.fd) : nullptr;
            if (previous && (!was || !sameOpenFile(*was, e))) arrivals_.try_emplace(key(e), &e);
        }
    }

    const FdEntry *at(int fd) const { return find(byFd_, fd); }
    const FdEntry *arrivalOf(const FdEntry &e) const { return find(arrivals_, key(e)); }

    // Another fd holding the same open file as `e`, the lowest one.
    const FdEntry *otherHolder(const FdEntry &e) const
    {
        auto it = byFile_.find(key(e));
        if (it == byFile_.end()) return nullptr;
        for (const FdEntry *holder : it->second)
            if (holder->fd != e.fd) return holder;
        return nullptr;
    }

private:
    // sameOpenFile as a key: the target stands in for inode 0 (see sameFile).
    using Key = std::tuple<std::uint64_t, std::uint64_t, std::string, FdAccess>;
    static Key key(const FdEntry &e)
    {
        return e.inode ? Key{e.inode, e.device, {}, e.access} : Key{0, 0, e.target, e.access};
    }
    template <typename Map, typename K> static const FdEntry *find(const Map &map, const K &k)
    {
        auto it = map.find(k);
        return it == map.end() ? nullptr : it->second;
    }

    std::map<int, const FdEntry *> byFd_;
    std::map<Key, std::vector<const FdEntry *>> byFile_; // each list by fd
    std::map<Key, const FdEntry *> arrivals_;
};

void noteOrigin(FdDiffRow &row, const OpenFiles &before)
{
    // Where a dup2 took it from; /proc cannot tell dups of one file apart.
    const FdEntry *from = before.otherHolder(*row.after);
    if (!from) return;
    const auto a = std::to_string(from->fd), b = std::to_string(row.fd);
    row.notes.push_back("the open file of fd " + a + " (dup2 " + a + " -> " + b + ")");
    // dup2 never copies CLOEXEC, which is how a CLOEXEC fd reaches a program.
    if (row.change == FdChange::Added && from->cloexec != row.after->cloexec)
        row.notes.push_back(cloexecNote(row.after->cloexec));
}

void describeChange(FdDiffRow &row, const OpenFiles &before, const OpenFiles &after)
{
    if (!row.before) {
        row.notes.push_back("new: " + describe(*row.after));
        noteOrigin(row, before);
        return;
    }
    const FdEntry &was = *row.before;
    if (!row.after) {
        row.notes.push_back("closed; was " + describe(was));
        if (was.cloexec) row.notes.push_back("had CLOEXEC: exec closes it");
        // Not an fd that held the same file all along (stdin on /dev/null).
        if (const FdEntry *moved = after.arrivalOf(was))
            row.notes.push_back("its open file is now at fd " + std::to_string(moved->fd));
        return;
    }
    const FdEntry &now = *row.after;
    if (!sameFile(was, now)) row.notes.push_back("now " + describe(now) + ", was " + describe(was));
    if (!sameOpenFile(was, now)) noteOrigin(row, before);
    if (was.access != now.access)
        row.notes.push_back("access " + std::string(fdAccessName(was.access)) + " -> " +
                            std::string(fdAccessName(now.access)));
    if (was.cloexec != now.cloexec) row.notes.push_back(cloexecNote(now.cloexec));
    for (const StatusFlag &f : statusFlags)
        if ((was.flags & f.bit) != (now.flags & f.bit))
            row.notes.push_back(std::string(f.name) + (now.flags & f.bit ? " set" : " cleared"));
}

FdChange classify(const FdDiffRow &row)
{
    if (!row.after) return FdChange::Closed;
    if (!row.before) return FdChange::Added;
    const FdEntry &was = *row.before, &now = *row.after;
    bool sameFlags =
        std::all_of(std::begin(statusFlags), std::end(statusFlags), [&](const StatusFlag &f) {
            return (was.flags & f.bit) == (now.flags & f.bit);
        });
    bool kept = sameOpenFile(was, now) && was.cloexec == now.cloexec && sameFlags;
    return kept ? FdChange::Kept : FdChange::Changed;
}

// What a child that inherits the fd gets, and why a person should care.
std::pair<std::string, std::string> leakConsequence(const FdEntry &e)
{
    const std::string whileChild = " while that child lives";
    if (e.access == FdAccess::Path)
        return {"this O_PATH handle", "the child can openat() files beneath it"};
    switch (e.kind) {
    case FdKind::Pipe:
        if (e.access == FdAccess::Write)
            return {"this pipe write end", "the reader never sees EOF" + whileChild};
        if (e.access == FdAccess::Read)
            return {"this pipe read end",
                    "a writer never gets EPIPE, and blocks once the pipe is full," + whileChild};
        return {"this pipe", "its readers never see EOF" + whileChild};
    case FdKind::Socket:
        return {"this " + (e.subkind.empty() ? std::string() : e.subkind + " ") + "socket",
                "the connection stays open (the peer sees no hangup, a listening port stays "
                "bound)" +
                    whileChild};
    case FdKind::File:
        return {"this open file",
                "the file stays open" + whileChild +
                    ": flock() locks stay held, a deleted file keeps its space, its filesystem "
                    "cannot be unmounted" +
                    (e.access == FdAccess::Read ? "" : ", and the child can write to it")};
    case FdKind::Directory:
        return {"this directory",
                "the child can openat() files beneath it, even outside its own cwd or "
                "chroot, and the filesystem cannot be unmounted" +
                    whileChild};
    case FdKind::CharDevice:
    case FdKind::BlockDevice:
        return {"this device (" + e.target + ")", "it stays open, and the child can use it"};
    case FdKind::AnonInode:
        return {"this " + (e.subkind.empty() ? std::string("anon inode") : e.subkind),
                "the child can use it too, and it stays alive" + whileChild};
    case FdKind::Other:
        break;
    }
    return {"this open file", "it stays open" + whileChild};
}

} // namespace

bool sameFile(const FdEntry &a, const FdEntry &b)
{
    // Inode 0: statx failed; the link target is then the only identity left.
    if (a.inode == 0 || b.inode == 0)
        return a.inode == b.inode && !a.target.empty() && a.target == b.target;
    return a.inode == b.inode && a.device == b.device;
}

std::vector<FdDiffRow> diffFdTables(const FdTable &before, const FdTable &after)
{
    std::map<int, FdDiffRow> rows; // sorted by fd, whatever order the tables came in
    for (const FdEntry &e : before) {
        rows[e.fd].fd = e.fd;
        rows[e.fd].before = e;
    }
    for (const FdEntry &e : after) {
        rows[e.fd].fd = e.fd;
        rows[e.fd].after = e;
    }
    const OpenFiles beforeFiles(before), afterFiles(after, &beforeFiles);
    std::vector<FdDiffRow> out;
    out.reserve(rows.size());
    for (auto &[fd, row] : rows) {
        row.change = classify(row);
        if (row.change != FdChange::Kept) describeChange(row, beforeFiles, afterFiles);
        out.push_back(std::move(row));
    }
    return out;
}

namespace {

// "sleep (pid 812) holds its other end": who else keeps the object alive,
// from the peers HolderIndex found (other processes only; empty without).
std::string heldElsewhere(const FdEntry &e, pid_t owner)
{
    std::vector<std::string> otherEnd, same;
    for (const FdPeer &p : e.peers) {
        if (p.pid == owner) continue;
        const std::string who = p.comm + " (pid " + std::to_string(p.pid) + ")";
        if (p.relation == "socket peer" ||
            (e.kind == FdKind::Pipe && FdAccess(p.access) != e.access)) {
            if (std::find(otherEnd.begin(), otherEnd.end(), who) == otherEnd.end())
                otherEnd.push_back(who);
        } else if (std::find(same.begin(), same.end(), who) == same.end()) {
            same.push_back(who);
        }
    }
    auto list = [](const std::vector<std::string> &names) {
        std::string out;
        for (std::size_t i = 0; i < names.size(); ++i)
            out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
        return out;
    };
    std::string out;
    if (!same.empty())
        out += "; " + list(same) + (same.size() == 1 ? " holds" : " hold") + " it too";
    if (!otherEnd.empty())
        out +=
            "; " + list(otherEnd) + (otherEnd.size() == 1 ? " holds" : " hold") + " its other end";
    return out;
}

} // namespace

std::optional<std::string> leakRisk(const FdEntry &parentFd, pid_t owner)
{
    if (parentFd.fd < 3 || parentFd.cloexec) return std::nullopt;
    auto [what, why] = leakConsequence(parentFd);
    return "inheritable: no CLOEXEC, so a child started with close_fds=false (or by system(3), "
           "popen, a plain fork+exec) gets " +
           what + "; " + why + heldElsewhere(parentFd, owner);
}

namespace {
constexpr std::array<Spelling<FdChange>, 4> fdChanges{{{FdChange::Kept, "kept"},
                                                       {FdChange::Closed, "closed"},
                                                       {FdChange::Added, "added"},
                                                       {FdChange::Changed, "changed"}}};
} // namespace

std::string_view fdChangeName(FdChange c)
{
    return nameOf(fdChanges, c, "");
}

} // namespace spawnlab
