// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-probe REPORT [--echo] [--exit N]
// Exec'd by the semantic tests as the child program: writes, as JSON into
// REPORT, what the child really got — its fds (read before REPORT is opened),
// cwd, environment, umask, signal masks, ids, session, group and limits.
// --echo copies stdin to stdout first; --exit N exits with N.
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char **environ;

namespace {

std::string escaped(const std::string &s)
{
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out + "\"";
}

std::string fdInfoFlags(int fd)
{
    std::ifstream info("/proc/self/fdinfo/" + std::to_string(fd));
    std::string key, value;
    while (info >> key >> value)
        if (key == "flags:") return value;
    return "";
}

std::string fdTable()
{
    std::vector<int> fds;
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) return "{}";
    while (dirent *e = readdir(dir)) {
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && std::atoi(e->d_name) != dirfd(dir))
            fds.push_back(std::atoi(e->d_name));
    }
    closedir(dir);
    std::string out = "{";
    for (int fd : fds) {
        char target[PATH_MAX + 1] = {};
        ssize_t n = readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), target, PATH_MAX);
        if (n < 0) continue; // the fd of a stream closed meanwhile
        out += (out.size() > 1 ? "," : "") + escaped(std::to_string(fd)) +
               ":{\"target\":" + escaped(std::string(target, std::size_t(n))) +
               ",\"flags\":" + escaped(fdInfoFlags(fd)) + "}";
    }
    return out + "}";
}

std::string statusFields()
{
    std::ifstream status("/proc/self/status");
    std::string line, out;
    while (std::getline(status, line)) {
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key = line.substr(0, colon), value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        out += (out.empty() ? "" : ",") + escaped(key) + ":" + escaped(value);
    }
    return "{" + out + "}";
}

std::string limits()
{
    const std::pair<const char *, int> names[] = {
        {"nofile", RLIMIT_NOFILE}, {"core", RLIMIT_CORE},   {"nproc", RLIMIT_NPROC},
        {"stack", RLIMIT_STACK},   {"fsize", RLIMIT_FSIZE}, {"cpu", RLIMIT_CPU}};
    std::string out;
    for (auto [name, resource] : names) {
        rlimit l{};
        getrlimit(resource, &l);
        auto text = [](rlim_t v) {
            return v == RLIM_INFINITY ? std::string("-1") : std::to_string(v);
        };
        out += (out.empty() ? "" : ",") + escaped(name) + ":[" + text(l.rlim_cur) + "," +
               text(l.rlim_max) + "]";
    }
    return "{" + out + "}";
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: spawnlab-probe REPORT [--echo] [--exit N]\n");
        return 2;
    }
    std::string fds = fdTable(); // first: nothing of ours is open yet
    int exitCode = 0;
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--echo") == 0) {
            char buffer[4096];
            ssize_t n;
            while ((n = read(0, buffer, sizeof buffer)) > 0)
                if (write(1, buffer, std::size_t(n)) != n) return 3;
        } else if (std::strcmp(argv[i], "--exit") == 0 && i + 1 < argc) {
            exitCode = std::atoi(argv[++i]);
        }
    }
    char cwd[PATH_MAX] = {};
    if (!getcwd(cwd, sizeof cwd)) std::strcpy(cwd, "?");
    std::string env;
    for (char **e = environ; *e; ++e)
        env += (env.empty() ? "" : ",") + escaped(*e);
    std::string args;
    for (int i = 0; i < argc; ++i)
        args += (args.empty() ? "" : ",") + escaped(argv[i]);

    std::ostringstream report;
    report << "{\"pid\":" << getpid() << ",\"sid\":" << getsid(0) << ",\"pgid\":" << getpgid(0)
           << ",\"argv\":[" << args << "],\"cwd\":" << escaped(cwd) << ",\"env\":[" << env
           << "],\"fds\":" << fds << ",\"status\":" << statusFields() << ",\"limits\":" << limits()
           << "}\n";
    int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (out < 0) {
        std::perror(argv[1]);
        return 4;
    }
    std::string text = report.str();
    if (write(out, text.data(), text.size()) != ssize_t(text.size()) || close(out) != 0) return 5;
    return exitCode;
}
