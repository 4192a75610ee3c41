// SPDX-License-Identifier: GPL-3.0-or-later
// glibc's pidfd_open and pidfd_send_signal. Its 2.36 header lacks
// __BEGIN_DECLS (fixed in 2.37), so C linkage is given here, once.
#pragma once

extern "C" {
#include <sys/pidfd.h>
}
