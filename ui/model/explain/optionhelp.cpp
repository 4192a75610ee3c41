// SPDX-License-Identifier: GPL-3.0-or-later
#include "explain/optionhelp.h"

#include <QHash>

namespace spawnlab {
namespace {

struct Help {
    const char *child;      // what happens in the child
    const char *python;     // CPython subprocess
    const char *go;         // Go os/exec and syscall.SysProcAttr
    const char *posixSpawn; // posix_spawn
};

const QHash<QString, Help> &helpTable()
{
    static const QHash<QString, Help> table{
        {"argv",
         {"The argument vector execve passes: argv[0] is the name the program sees.", "Popen(args)",
          "exec.Cmd.Args", "the argv argument"}},
        {"executable",
         {"The file execve runs; without '/', each directory of the child's PATH is tried in "
          "order, as CPython does.",
          "Popen(executable=...), searched on env's PATH",
          "exec.Cmd.Path (LookPath uses the parent's PATH)",
          "posix_spawnp searches the parent's PATH"}},
        {"env.inherit",
         {"Start from spawnlab's own environment; off: start empty.",
          "env=None inherits; env={...} replaces it all", "Cmd.Env == nil inherits",
          "pass environ or your own envp"}},
        {"env.set",
         {"Variables given to the child, replacing inherited values.",
          "env={**os.environ, 'K': 'V'}", "Cmd.Env = append(os.Environ(), \"K=V\")",
          "envp entries"}},
        {"env.unset",
         {"Variables removed from the inherited environment.", "env = a copy without the key",
          "filter os.Environ()", "leave it out of envp"}},
        {"cwd",
         {"chdir() in the child before exec; a failure stops the child (step chdir).",
          "Popen(cwd=...)", "Cmd.Dir", "posix_spawn_file_actions_addchdir_np (glibc 2.29)"}},
        {"umask",
         {"umask() in the child: bits removed from the mode of files it creates.",
          "Popen(umask=...) (3.9)", "none (call syscall.Umask around the fork)", "none"}},
        {"fds",
         {"What each child fd is before exec. The moves are ordered so that no dup overwrites "
          "another's source (Go's two passes).",
          "stdin/stdout/stderr=, pass_fds=", "Cmd.Stdin/Stdout/Stderr, ExtraFiles",
          "posix_spawn_file_actions_*"}},
        {"fds.dup",
         {"dup2(parent fd, child fd): the child fd refers to the same open file (shared offset); "
          "CLOEXEC is cleared.",
          "stdout=some_fd", "ProcAttr.Files / Cmd.ExtraFiles", "posix_spawn_file_actions_adddup2"}},
        {"fds.open",
         {"open(path, flags, mode) in the child, then moved to the fd: a failure is the child's "
          "(step open).",
          "none: open in the parent, pass the file", "none: os.OpenFile in the parent",
          "posix_spawn_file_actions_addopen"}},
        {"fds.close",
         {"close() of the fd in the child, e.g. stdin closed: a read then fails with EBADF.",
          "none (close_fds only covers fds >= 3)", "a nil entry in ProcAttr.Files",
          "posix_spawn_file_actions_addclose"}},
        {"fds.null",
         {"/dev/null opened read-write onto the fd: reads see EOF, writes vanish.",
          "subprocess.DEVNULL", "Cmd.Stdin = nil (os/exec opens /dev/null)",
          "addopen(\"/dev/null\")"}},
        {"fds.pipe_out",
         {"A pipe whose write end is the child fd; spawnlab reads it to EOF and shows the text.",
          "stdout=PIPE + communicate()", "Cmd.StdoutPipe() or Cmd.Stdout = &buf",
          "pipe() + adddup2 + addclose"}},
        {"fds.pipe_in",
         {"A pipe whose read end is the child fd; spawnlab writes the input, then closes it so the "
          "child sees EOF.",
          "stdin=PIPE + communicate(input=...)", "Cmd.Stdin = strings.NewReader(...)",
          "pipe() + adddup2 + addclose"}},
        {"close_fds",
         {"Close every fd >= 3 not in the fd list or pass_fds, so the child inherits nothing by "
          "accident.",
          "close_fds=True (the default since 3.2)",
          "always: Go opens everything O_CLOEXEC; only Files reach the child",
          "posix_spawn_file_actions_addclosefrom_np (glibc 2.34)"}},
        {"pass_fds",
         {"Fds kept open in the child at the same number, CLOEXEC cleared.", "Popen(pass_fds=...)",
          "Cmd.ExtraFiles (renumbered from 3)", "adddup2(fd, fd) clears CLOEXEC"}},
        {"close_method",
         {"How close_fds closes: close_range(2), getdents64 on /proc/self/fd, or close() on every "
          "fd below RLIMIT_NOFILE. auto tries them in that order, as CPython does.",
          "_posixsubprocess picks close_range, then /proc/self/fd, then brute force", "n/a",
          "closefrom_np uses close_range"}},
        {"signals.block",
         {"The child's signal mask, set just before exec; it survives execve. Off: the child keeps "
          "spawnlab's mask.",
          "none", "none", "posix_spawnattr_setsigmask + POSIX_SPAWN_SETSIGMASK"}},
        {"signals.default",
         {"Dispositions back to SIG_DFL before exec (an ignored SIGPIPE would otherwise survive "
          "execve).",
          "restore_signals=True (SIGPIPE, SIGXFZ, SIGXFSZ)", "none",
          "posix_spawnattr_setsigdefault + POSIX_SPAWN_SETSIGDEF"}},
        {"signals.ignore",
         {"Dispositions set to SIG_IGN; ignored signals stay ignored across execve (what nohup "
          "does for SIGHUP).",
          "none (preexec_fn)", "none", "none"}},
        {"signals.reset_handlers",
         {"Reset every caught signal to SIG_DFL first thing in the child, so no parent handler "
          "runs between fork and exec.",
          "done by _posixsubprocess", "the runtime does it in forkAndExecInChild",
          "glibc resets handlers in the child"}},
        {"setsid",
         {"setsid(): a new session and process group led by the child, with no controlling "
          "terminal (Ctrl-C in the terminal no longer reaches it).",
          "start_new_session=True", "SysProcAttr.Setsid", "POSIX_SPAWN_SETSID (glibc 2.26)"}},
        {"pgid",
         {"setpgid(0, pgid): join process group pgid, or 0 to lead a new group (job control, "
          "kill(-pgid)).",
          "process_group=... (3.11)", "SysProcAttr.Setpgid + Pgid",
          "posix_spawnattr_setpgroup + POSIX_SPAWN_SETPGROUP"}},
        {"credentials.uid",
         {"setuid() in the child (after setgroups and setgid, which need the privilege it drops).",
          "Popen(user=...) (3.9)", "SysProcAttr.Credential.Uid",
          "none (only POSIX_SPAWN_RESETIDS)"}},
        {"credentials.gid",
         {"setgid() in the child, before setuid.", "Popen(group=...) (3.9)",
          "SysProcAttr.Credential.Gid", "none"}},
        {"credentials.groups",
         {"setgroups(): the supplementary groups. Off: the child keeps spawnlab's; on with none "
          "checked: it gets none.",
          "Popen(extra_groups=...) (3.9)", "SysProcAttr.Credential.Groups (NoSetGroups to skip)",
          "none"}},
        {"rlimits",
         {"setrlimit() in the child (a raw prlimit64 syscall: glibc's wrapper is not "
          "async-signal-safe).",
          "preexec_fn=lambda: resource.setrlimit(...) (unsafe with threads)",
          "none (Go restores RLIMIT_NOFILE itself)", "none"}},
        {"strategy",
         {"How the child is created. fork copies the page tables (cost grows with the parent's "
          "RSS); vfork and clone_vm share memory until exec (flat cost); posix_spawn lets glibc do "
          "it.",
          "fork, or vfork when safe (3.10+)", "clone(CLONE_VFORK|CLONE_VM)",
          "glibc: clone(CLONE_VM|CLONE_VFORK)"}},
        {"inspect",
         {"Stop points: the child stops (SIGSTOP) while spawnlab reads /proc/PID/fd, or is caught "
          "by ptrace right after exec; every_step stops it before its first fd step and after "
          "each. Every strategy but posix_spawn.",
          "none", "none", "none"}},
        {"timeout_ms",
         {"Kill the child (SIGKILL) if it has not finished after this long; 0 = wait forever (the "
          "Kill button still works).",
          "run(timeout=...) / communicate(timeout=...)", "exec.CommandContext with a deadline",
          "none"}},
        {"capture_limit_bytes",
         {"Keep at most this many bytes of each pipe_out fd (default 16 MiB); the rest is still "
          "read, so the child never blocks, and counted: the result says how many bytes each fd "
          "wrote and whether it was truncated.",
          "none (communicate() keeps everything)", "none (a bytes.Buffer keeps everything)",
          "none"}},
    };
    return table;
}

} // namespace

QString optionHelp(const QString &key)
{
    const auto it = helpTable().constFind(key);
    if (it == helpTable().constEnd()) return {};
    const Help &h = *it;
    return QStringLiteral("<p>%1</p><table>"
                          "<tr><td><b>CPython</b>&nbsp;</td><td>%2</td></tr>"
                          "<tr><td><b>Go</b></td><td>%3</td></tr>"
                          "<tr><td><b>posix_spawn</b>&nbsp;</td><td>%4</td></tr></table>"
                          "<p><i>plan key: %5</i></p>")
        .arg(QString::fromUtf8(h.child).toHtmlEscaped(),
             QString::fromUtf8(h.python).toHtmlEscaped(), QString::fromUtf8(h.go).toHtmlEscaped(),
             QString::fromUtf8(h.posixSpawn).toHtmlEscaped(), key);
}

} // namespace spawnlab
