// SPDX-License-Identifier: GPL-3.0-or-later
#include "output.h"

#include "spawnlab/names.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace cli {
namespace {

int stdoutError = 0; // errno of the first failed write to stdout

} // namespace

void keepStdioOpen()
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
        if (::fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
        // The lowest free number is `fd` itself, as the lower ones are open by now.
        const int opened = ::open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
        if (opened >= 0 && opened != fd) {
            ::dup2(opened, fd);
            ::close(opened);
        }
    }
}

bool writeOut(std::string_view text)
{
    if (stdoutError) return false;
    errno = 0;
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
        std::fflush(stdout) != 0) {
        stdoutError = errno ? errno : EIO;
        return false;
    }
    return true;
}

void writeErr(std::string_view text)
{
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

int finishOutput(int code)
{
    errno = 0;
    if (!stdoutError && std::fclose(stdout) != 0) stdoutError = errno ? errno : EIO;
    if (!stdoutError) return code;
    writeErr("spawnlab-cli: cannot write to standard output: " +
             std::string(std::strerror(stdoutError)) + " (" + spawnlab::errnoName(stdoutError) +
             "); the output is lost\n");
    return exitFailed;
}

} // namespace cli
