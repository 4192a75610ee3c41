// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-try-setuid UID: spawns /bin/true with credentials.uid = UID through
// the core and prints "ok" or "STEP ERRNO_NAME FIELD" (FIELD left out when the
// error names none). Run as a non-root user by the tests, it shows how a setuid
// the kernel refuses is reported.
#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: spawnlab-try-setuid UID\n");
        return 2;
    }
    spawnlab::SpawnPlan plan;
    plan.argv = {"/bin/true"};
    plan.strategy = spawnlab::Strategy::Fork;
    plan.credentials = spawnlab::Credentials{};
    plan.credentials->uid = uid_t(std::atoi(argv[1]));
    spawnlab::RunResult result = spawnlab::run(plan);
    if (result.error)
        std::printf("%s %s%s%s\n", spawnlab::stepName(result.error->step).data(),
                    spawnlab::errnoName(result.error->err).c_str(),
                    result.error->field.empty() ? "" : " ", result.error->field.c_str());
    else
        std::printf("ok\n");
    return 0;
}
