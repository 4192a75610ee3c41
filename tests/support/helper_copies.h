// SPDX-License-Identifier: GPL-3.0-or-later
// Helper programs where every user can exec them. Some tests run a helper
// under another uid (nobody), and execve needs search permission on every
// directory of the path, so a build tree under a private home (/root is 0700)
// is out of their reach. Each test process therefore copies the helpers once
// into a temporary directory that every user can reach (the directory and the
// files 0755), hands out the copies' paths and removes the directory at exit.
#pragma once

#include <QString>

namespace spawnlab::test {

// The copy of build-tree helper `name` ("spawnlab-probe", "spawnlab-try-setuid").
QString helperPath(const QString &name);

// Where to make temporary directories that every user can reach and exec
// from: QDir::tempPath() when it is such a place, else /tmp, /var/tmp, /dev/shm.
QString reachableTempPath();

} // namespace spawnlab::test
