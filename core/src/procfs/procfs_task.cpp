// SPDX-License-Identifier: GPL-3.0-or-later
#include "procfs/procfs_task.h"

#include "procfs/proc_text.h"

#include "spawnlab/names.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cstdint>
#include <memory>

namespace spawnlab::detail {
namespace {

// From the kernel's include/linux/sched.h (not in the uapi headers, stable for
// decades): set at the start of do_exit, before the files are released; and on
// kernel threads, which have no files of their own.
constexpr unsigned pfExiting = 0x00000004;
constexpr unsigned pfKthread = 0x00200000;
constexpr int capSysPtrace = 19;

struct Ids {
    bool known = false;
    unsigned uid[4]{}; // real, effective, saved, fs (as status lists them)
    unsigned gid[4]{};
    std::uint64_t capEff = 0, capPrm = 0;
};

bool parseIds(std::string_view value, unsigned (&ids)[4])
{
    for (int i = 0; i < 4; ++i) {
        auto id = parseNumber<unsigned>(field(value, i));
        if (!id) return false;
        ids[i] = *id;
    }
    return true;
}

Ids readIds(int dirFd)
{
    Ids ids;
    const FileText status = readFile(dirFd, "status");
    if (status.err) return ids;
    const auto capEff = parseNumber<std::uint64_t>(field(keyValue(status.text, "CapEff"), 0), 16);
    const auto capPrm = parseNumber<std::uint64_t>(field(keyValue(status.text, "CapPrm"), 0), 16);
    ids.known = parseIds(keyValue(status.text, "Uid"), ids.uid) &&
                parseIds(keyValue(status.text, "Gid"), ids.gid) && capEff && capPrm;
    ids.capEff = capEff.value_or(0);
    ids.capPrm = capPrm.value_or(0);
    return ids;
}

bool hasCap(const Ids &ids, int cap)
{
    return (ids.capEff >> cap) & 1;
}

// The ptrace check compares the caller's fsuid/fsgid with every id of the target.
bool sameIds(const Ids &self, const Ids &target)
{
    for (int i = 0; i < 3; ++i)
        if (target.uid[i] != self.uid[3] || target.gid[i] != self.gid[3]) return false;
    return true;
}

// In the initial user namespace nothing can sit above us, so a refusal there
// is not a namespace boundary.
bool inInitialUserNamespace()
{
    const FileText map = readFile(AT_FDCWD, "/proc/self/uid_map");
    std::string_view rest(map.text);
    const auto line = nextLine(rest);
    return map.err == 0 && rest.empty() && field(line, 0) == "0" && field(line, 1) == "0" &&
           field(line, 2) == "4294967295";
}

std::string idText(const unsigned (&ids)[4])
{
    if (ids[0] == ids[1] && ids[1] == ids[2]) return std::to_string(ids[0]);
    return std::to_string(ids[0]) + "/" + std::to_string(ids[1]) + "/" + std::to_string(ids[2]);
}

const char notDumpable[] = "it is not dumpable (it exec'd a setuid or setgid program, or called "
                           "prctl(PR_SET_DUMPABLE, 0))";

std::string listingReason(int procDir, const Ids &self, const Ids &target)
{
    struct stat dir {
    };
    if (::fstatat(procDir, "fd", &dir, AT_SYMLINK_NOFOLLOW) != 0 || !self.known)
        return "its fd directory is readable only by its owner";
    std::string why = "its fd directory belongs to uid " + std::to_string(dir.st_uid) +
                      " (mode 0500) and this process runs as uid " + std::to_string(self.uid[3]) +
                      " without CAP_DAC_READ_SEARCH";
    if (target.known && dir.st_uid != target.uid[1]) why += "; " + std::string(notDumpable);
    return why;
}

std::string ptraceReason(int procDir, const std::string &who, const Ids &self, const Ids &target)
{
    const bool ptraceCap = self.known && hasCap(self, capSysPtrace);
    if (!self.known || !target.known) return "the kernel gave no reason";
    if (!ptraceCap && !sameIds(self, target))
        return who + " runs as uid " + idText(target.uid) + ", gid " + idText(target.gid) +
               " and this process as uid " + std::to_string(self.uid[3]) + ", gid " +
               std::to_string(self.gid[3]) + " without CAP_SYS_PTRACE";
    struct stat dir {
    };
    const bool dumpUnknown = target.uid[1] == 0 || ::fstat(procDir, &dir) != 0;
    if (!ptraceCap && !dumpUnknown && dir.st_uid != target.uid[1])
        return std::string(notDumpable) + ", and this process has no CAP_SYS_PTRACE";
    if (!ptraceCap && (target.capPrm & ~self.capEff) != 0)
        return who + " holds capabilities this process lacks, and this process has no "
                     "CAP_SYS_PTRACE";
    const std::string base = ptraceCap ? "this process has CAP_SYS_PTRACE"
                                       : "the ids match and " + who +
                                             " holds no capability "
                                             "this process lacks";
    if (inInitialUserNamespace())
        return base + ", so a security module (Landlock, SELinux, AppArmor, ...) refused it";
    return base +
           ", so a security module (Landlock, SELinux, AppArmor, ...) or a user "
           "namespace boundary (" +
           who + " outside this process's user namespace) refused it";
}

} // namespace

bool TaskStat::kernelThread() const
{
    return flags & pfKthread;
}

bool TaskStat::gone() const
{
    return err != 0 || state == 'Z' || state == 'X' || (flags & pfExiting);
}

TaskStat readTaskStat(int taskDir)
{
    TaskStat st;
    const FileText file = readFile(taskDir, "stat");
    if (file.err) {
        st.err = file.err;
        return st;
    }
    // "PID (COMM) S PPID PGRP SESSION TTY TPGID FLAGS ...": COMM may hold
    // blanks and parentheses, so the fields are counted after the last ')'.
    const auto close = file.text.rfind(')');
    if (close == std::string::npos) {
        st.err = EIO;
        return st;
    }
    const std::string_view rest = std::string_view(file.text).substr(close + 1);
    const auto state = field(rest, 0);
    const auto ppid = parseNumber<pid_t>(field(rest, 1));
    const auto flags = parseNumber<unsigned>(field(rest, 6));
    if (state.size() != 1 || !ppid || !flags) {
        st.err = EIO;
        return st;
    }
    st.state = state[0];
    st.ppid = *ppid;
    st.flags = *flags;
    return st;
}

UniqueFd openLiveThread(int procDir, pid_t leader)
{
    UniqueFd tasksFd(::openat(procDir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (tasksFd.get() < 0) return {};
    struct DirCloser {
        void operator()(DIR *dir) const { ::closedir(dir); }
    };
    std::unique_ptr<DIR, DirCloser> dir(::fdopendir(tasksFd.get()));
    if (!dir) return {};
    tasksFd.release();
    while (const dirent *ent = ::readdir(dir.get())) {
        const auto tid = parseNumber<pid_t>(ent->d_name);
        if (!tid || *tid == leader) continue;
        UniqueFd task(::openat(::dirfd(dir.get()), ent->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (task.get() >= 0 && !readTaskStat(task.get()).gone()) return task;
    }
    return {};
}

std::string deniedReason(int procDir, const std::string &who, int err, bool listing)
{
    UniqueFd selfDir(::open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC));
    const Ids self = selfDir.get() >= 0 ? readIds(selfDir.get()) : Ids{};
    const Ids target = readIds(procDir);
    const std::string what = listing ? " (" + errnoName(err) + " opening its fd directory): "
                                     : " (" + errnoName(err) +
                                           " from the ptrace access mode check, "
                                           "PTRACE_MODE_READ_FSCREDS): ";
    return who + ": the kernel refused to show its fds" + what +
           (listing ? listingReason(procDir, self, target)
                    : ptraceReason(procDir, who, self, target));
}

} // namespace spawnlab::detail
