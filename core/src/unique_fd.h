// SPDX-License-Identifier: GPL-3.0-or-later
// An owned file descriptor, closed once, on destruction or reset.
#pragma once

#include <unistd.h>

#include <utility>

namespace spawnlab::detail {

class UniqueFd
{
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    UniqueFd &operator=(UniqueFd &&other) noexcept
    {
        reset(std::exchange(other.fd_, -1));
        return *this;
    }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() { return std::exchange(fd_, -1); }
    void reset(int fd = -1)
    {
        if (fd_ >= 0) ::close(fd_); // nothing useful to do on EINTR/EIO for an fd we own
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

} // namespace spawnlab::detail
