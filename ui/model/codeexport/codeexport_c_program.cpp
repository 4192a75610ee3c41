// SPDX-License-Identifier: GPL-3.0-or-later
// The C export's environment, fixed helpers and main(): the file actions and
// attributes come from codeexport_c.cpp.
#include "codeexport/codeexport_c.h"

#include "spawnlab/names.h"

namespace spawnlab::codeexport {
namespace {

const char *const kCheck =
    R"c(// posix_spawn's functions return an error number instead of setting errno.
static void check(int err, const char *what)
{
    if (err != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(err));
        exit(127);
    }
})c";

const char *const kCopyAway =
    R"c(// A CLOEXEC copy of `fd` on the lowest free number the plan does not name,
// so that no action replaces it before it is used and no source the plan names
// turns out to be the copy. Free numbers below the highest named fd count too:
// a target at RLIMIT_NOFILE - 1 leaves room.
static int copy_away(int fd)
{
    int base = 3;
    for (;;) {
        int copy = fcntl(fd, F_DUPFD_CLOEXEC, base);
        if (copy < 0) check(errno, "fcntl(F_DUPFD_CLOEXEC)");
        size_t i = 0;
        while (i < sizeof plan_fds / sizeof *plan_fds && plan_fds[i] != copy)
            i++;
        if (i == sizeof plan_fds / sizeof *plan_fds) return copy;
        close(copy); /* a number the plan uses: free again for it */
        base = copy + 1;
    }
})c";

const char *const kMakePipe =
    R"c(// A pipe with both ends on numbers the plan does not name, so that no
// action replaces one before it is used; the parent's end does not block.
static void make_pipe(int ends[2], int parent_end)
{
    int low[2];
    if (pipe2(low, O_CLOEXEC) < 0) check(errno, "pipe2");
    for (int i = 0; i < 2; i++) {
        ends[i] = copy_away(low[i]);
        close(low[i]);
    }
    if (fcntl(ends[parent_end], F_SETFL, O_NONBLOCK) < 0) check(errno, "fcntl(F_SETFL)");
})c";

const char *const kCommunicate =
    R"c(// The parent's end of one pipe: it writes `input` into a pipe_in, and
// collects what the child writes into a pipe_out.
struct pipe_end {
    int fd;
    int child_fd;
    const char *input; // NULL for a pipe_out
    size_t left;
    char *output;
    size_t length;
};

static void serve(struct pipe_end *e)
{
    if (e->input) {
        ssize_t n = e->left ? write(e->fd, e->input, e->left) : 0;
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        if (n > 0) {
            e->input += n;
            e->left -= (size_t)n;
        }
        if (n < 0 || e->left == 0) { // all written, or EPIPE: the child closed its end
            close(e->fd);
            e->fd = -1;
        }
        return;
    }
    char buffer[65536];
    ssize_t n = read(e->fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
        close(e->fd);
        e->fd = -1;
        return;
    }
    e->output = realloc(e->output, e->length + (size_t)n);
    if (!e->output) check(ENOMEM, "realloc");
    memcpy(e->output + e->length, buffer, (size_t)n);
    e->length += (size_t)n;
}

// Serves every pipe at once until all are done, so that a child filling one
// pipe while the parent waits on another cannot hang.
static void communicate(struct pipe_end ends[PIPE_COUNT])
{
    for (;;) {
        struct pollfd polls[PIPE_COUNT];
        int which[PIPE_COUNT], active = 0;
        for (int i = 0; i < PIPE_COUNT; i++) {
            if (ends[i].fd < 0) continue;
            polls[active] = (struct pollfd){ends[i].fd, ends[i].input ? POLLOUT : POLLIN, 0};
            which[active++] = i;
        }
        if (active == 0) return;
        if (poll(polls, (nfds_t)active, -1) < 0) {
            if (errno == EINTR) continue;
            check(errno, "poll");
        }
        for (int i = 0; i < active; i++)
            if (polls[i].revents) serve(&ends[which[i]]);
    }
})c";

QString stringArray(const QStringList &literals)
{
    return QLatin1Char('{') + (literals + QStringList{QStringLiteral("NULL")}).join(", ") + '}';
}

QString environmentHelper(const EnvSpec &env)
{
    QStringList replaced, added;
    for (const auto &name : env.unset)
        replaced.append(cString(name));
    for (const auto &[name, value] : env.set) {
        replaced.append(cString(name));
        added.append(cString(name + "=" + value));
    }
    Code f(QStringLiteral("// "));
    f.comment(QStringLiteral("The child's environment: this process's without the variables the "
                             "plan unsets or sets, then the ones it sets."));
    f.line(QStringLiteral("static char **child_environment(void)"));
    f.line(QStringLiteral("{"));
    f.indent();
    f.line(QStringLiteral("static const char *const replaced[] = %1;").arg(stringArray(replaced)));
    f.line(QStringLiteral("static char *added[] = %1;").arg(stringArray(added)));
    f.lines(uR"c(size_t count = 0;
while (environ[count])
    count++;
char **env = calloc(count + sizeof added / sizeof *added, sizeof *env);
if (!env) check(ENOMEM, "calloc");
size_t n = 0;
for (char **e = environ; *e; e++) {
    int keep = 1;
    for (const char *const *r = replaced; *r; r++) {
        size_t length = strlen(*r);
        if (strncmp(*e, *r, length) == 0 && (*e)[length] == '=') keep = 0;
    }
    if (keep) env[n++] = *e;
}
for (char **a = added; *a; a++)
    env[n++] = *a;)c");
    f.line(QStringLiteral("return env;"));
    f.dedent();
    f.line(QStringLiteral("}"));
    return f.text();
}

QString header(const SpawnPlan &plan, const CProgram &p)
{
    Code h(QStringLiteral("// "));
    h.comment(
        QStringLiteral("The spawn plan as C with glibc's posix_spawn, generated by "
                       "spawnlab. Build: cc -o spawn spawn.c%1")
            .arg(plan.closeFds ? QStringLiteral(" (glibc 2.34+: addclosefrom_np)") : QString()));
    const QString creator = QStringLiteral("glibc's posix_spawn creates the child itself (clone "
                                           "with CLONE_VM and CLONE_VFORK)");
    for (const QString &note : spawnlabOnly(plan, creator) + p.notes)
        h.comment(note);
    h.line(QStringLiteral("#define _GNU_SOURCE"));
    QStringList includes{"errno.h",  "fcntl.h",  "signal.h",   "spawn.h", "stdio.h",
                         "stdlib.h", "string.h", "sys/wait.h", "unistd.h"};
    if (!p.pipes.isEmpty()) includes.append(QStringLiteral("poll.h"));
    if (plan.umask) includes.append(QStringLiteral("sys/stat.h"));
    includes.sort();
    for (const QString &include : includes)
        h.line(QStringLiteral("#include <%1>").arg(include));
    return h.text();
}

void addOutput(const CProgram &p, Code &main)
{
    if (p.captured.size() == 1) {
        main.line(QStringLiteral("fwrite(pipes[%1].output, 1, pipes[%1].length, stdout);")
                      .arg(p.captured.front()));
        return;
    }
    for (int index : p.captured) {
        main.line(QStringLiteral("printf(\"--- fd %d ---\\n\", pipes[%1].child_fd);").arg(index));
        main.line(
            QStringLiteral("fwrite(pipes[%1].output, 1, pipes[%1].length, stdout);").arg(index));
    }
}

} // namespace

QString cString(const std::string &s)
{
    QString out = QStringLiteral("\"");
    char previous = 0;
    for (char ch : s) {
        const auto c = (unsigned char)ch;
        if (c == '"' || c == '\\')
            out += QStringLiteral("\\") + QLatin1Char(ch);
        else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\t')
            out += QStringLiteral("\\t");
        else if (c == '?' && previous == '?')
            out += QStringLiteral("\\?"); // no trigraph
        else if (c < 0x20 || c >= 0x7f)
            out += QStringLiteral("\\%1").arg(c, 3, 8, QLatin1Char('0'));
        else
            out += QLatin1Char(ch);
        previous = ch;
    }
    return out + QLatin1Char('"');
}

QString cSignal(int sig)
{
    QString name = signalText(sig);
    return name.replace(QLatin1Char('+'), QStringLiteral(" + "));
}

QString cFlags(int flags)
{
    return openFlagList(flags).join(QStringLiteral(" | "));
}

void addEnvironment(const SpawnPlan &plan, CProgram &p)
{
    const EnvSpec &env = plan.env;
    if (env.inherit && env.set.empty() && env.unset.empty()) {
        p.environment.line(QStringLiteral("char **envp = environ;"));
    } else if (!env.inherit) {
        QStringList entries;
        for (const auto &[name, value] : env.set)
            entries.append(cString(name + "=" + value));
        p.environment.line(QStringLiteral("char *envp[] = %1;").arg(stringArray(entries)));
    } else {
        p.helpers.append(environmentHelper(env));
        p.environment.line(QStringLiteral("char **envp = child_environment();"));
    }
}

namespace {

// Above main: the headers, the plan's fd list and pipe count, the helpers.
QStringList topBlocks(const SpawnPlan &plan, const CProgram &p)
{
    QStringList blocks{header(plan, p).trimmed()};
    if (p.copiesAway) {
        QStringList named;
        for (int fd : p.named)
            named.append(QString::number(fd));
        blocks.append(QStringLiteral("// Every fd the plan names: its targets, sources and "
                                     "pass_fds.\n"
                                     "static const int plan_fds[] = {%1};")
                          .arg(named.join(QStringLiteral(", "))));
    }
    if (!p.pipes.isEmpty())
        blocks.append(QStringLiteral("enum { PIPE_COUNT = %1 };").arg(p.pipes.size()));
    blocks.append(QLatin1String(kCheck));
    if (p.copiesAway) blocks.append(QLatin1String(kCopyAway));
    if (!p.pipes.isEmpty()) blocks += {QLatin1String(kMakePipe), QLatin1String(kCommunicate)};
    for (const QString &helper : p.helpers)
        blocks.append(helper.trimmed());
    return blocks;
}

// The posix_spawn call itself.
Code spawnCall(const SpawnPlan &plan)
{
    QStringList argv;
    for (const auto &arg : plan.argv)
        argv.append(cString(arg));
    const QString spawn =
        searchesPath(plan) ? QStringLiteral("posix_spawnp") : QStringLiteral("posix_spawn");
    Code call(QStringLiteral("// "));
    call.indent();
    call.line(QStringLiteral("char *argv[] = %1;").arg(stringArray(argv)));
    call.line(QStringLiteral("pid_t pid;"));
    call.line(QStringLiteral("check(%1(&pid, %2, &actions, &attr, argv, envp), \"%1\");")
                  .arg(spawn, cString(programOf(plan))));
    return call;
}

// After the spawn: the pipes served, the child waited for, its status returned.
Code finishing(const CProgram &p)
{
    Code finish(QStringLiteral("// "));
    finish.indent();
    finish.line(QStringLiteral("posix_spawn_file_actions_destroy(&actions);"));
    finish.line(QStringLiteral("posix_spawnattr_destroy(&attr);"));
    if (!p.pipes.isEmpty()) {
        finish.comment(QStringLiteral("A write into a pipe the child closed fails with EPIPE "
                                      "instead of killing this program (set after the spawn, so "
                                      "that the child does not inherit it)."));
        finish.line(QStringLiteral("signal(SIGPIPE, SIG_IGN);"));
        finish.line(
            QStringLiteral("struct pipe_end pipes[PIPE_COUNT] = {%1};").arg(p.pipes.join(", ")));
        finish.line(QStringLiteral("communicate(pipes);"));
    }
    finish.line(QStringLiteral("int status;"));
    finish.line(QStringLiteral("if (waitpid(pid, &status, 0) < 0) check(errno, \"waitpid\");"));
    addOutput(p, finish);
    finish.comment(QStringLiteral("A child killed by a signal exits the way a shell reports it: "
                                  "128 + the signal."));
    finish.line(
        QStringLiteral("return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);"));
    return finish;
}

QString indented(const Code &code)
{
    QString text;
    for (const QString &line : code.text().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        text += QStringLiteral("    ") + line + QLatin1Char('\n');
    return text;
}

} // namespace

QString assembleC(const SpawnPlan &plan, const CProgram &p)
{
    QStringList blocks = topBlocks(plan, p);
    Code main(QStringLiteral("// "));
    main.indent();
    main.line(QStringLiteral("posix_spawn_file_actions_t actions;"));
    main.line(QStringLiteral("posix_spawnattr_t attr;"));
    main.line(
        QStringLiteral("check(posix_spawn_file_actions_init(&actions), \"file_actions_init\");"));
    main.line(QStringLiteral("check(posix_spawnattr_init(&attr), \"spawnattr_init\");"));
    blocks.append(QStringLiteral("int main(void)\n{\n") + main.text() + QLatin1Char('\n') +
                  indented(p.actions) +
                  (p.attributes.text().isEmpty() ? QString()
                                                 : QStringLiteral("\n") + indented(p.attributes)) +
                  QLatin1Char('\n') + indented(p.environment) + indented(p.aroundSpawn) +
                  spawnCall(plan).text() + indented(p.restore) + indented(p.afterSpawn) +
                  QLatin1Char('\n') + finishing(p).text() + QLatin1Char('}'));
    return blocks.join(QStringLiteral("\n\n")) + QLatin1Char('\n');
}

} // namespace spawnlab::codeexport
