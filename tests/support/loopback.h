// SPDX-License-Identifier: GPL-3.0-or-later
// Binding a test's socket to the loopback address of its family, on a port the
// kernel picks.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

namespace spawnlab::test {

// bind(2) of `fd` to 127.0.0.1 (AF_INET) or ::1 (AF_INET6), port 0; its result.
inline int bindLoopback(int fd, int domain)
{
    sockaddr_storage addr{};
    socklen_t len = 0;
    if (domain == AF_INET6) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&addr);
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_loopback;
        len = sizeof *in6;
    } else {
        auto *in = reinterpret_cast<sockaddr_in *>(&addr);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *in;
    }
    return ::bind(fd, reinterpret_cast<sockaddr *>(&addr), len);
}

} // namespace spawnlab::test
