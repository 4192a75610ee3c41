// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/stacks.h"

#include <elfutils/libdwfl.h>

#include <string.h>

namespace spawnlab::detail {
namespace {

constexpr int kMaxFrames = 24;

char *noDebuginfoPath = nullptr;
const Dwfl_Callbacks callbacks = {dwfl_linux_proc_find_elf, dwfl_standard_find_debuginfo, nullptr,
                                  &noDebuginfoPath};

std::string baseName(const char *path)
{
    std::string p = path ? path : "";
    std::size_t slash = p.rfind('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

struct Walk {
    Dwfl *dwfl;
    std::vector<std::string> frames;
};

// One frame as a person reads it: the function, and file:line when the
// module has debug info, else the module's name.
std::string describe(Dwfl *dwfl, Dwarf_Addr pc)
{
    Dwfl_Module *module = dwfl_addrmodule(dwfl, pc);
    if (!module) return "?? (" + std::to_string(pc) + ")";
    const char *function = dwfl_module_addrname(module, pc);
    std::string out = function ? function : "??";
    int line = 0;
    if (Dwfl_Line *source = dwfl_module_getsrc(module, pc)) {
        const char *file = dwfl_lineinfo(source, nullptr, &line, nullptr, nullptr, nullptr);
        if (file && line > 0) return out + " (" + baseName(file) + ":" + std::to_string(line) + ")";
    }
    const char *name =
        dwfl_module_info(module, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    return out + " (" + baseName(name) + ")";
}

int onFrame(Dwfl_Frame *frame, void *arg)
{
    auto *walk = static_cast<Walk *>(arg);
    Dwarf_Addr pc = 0;
    bool activation = false;
    if (!dwfl_frame_pc(frame, &pc, &activation)) return DWARF_CB_ABORT;
    // A return address points after the call: look the call itself up.
    walk->frames.push_back(describe(walk->dwfl, activation ? pc : pc - 1));
    return int(walk->frames.size()) >= kMaxFrames ? DWARF_CB_ABORT : DWARF_CB_OK;
}

} // namespace

void StackUnwinder::Deleter::operator()(Dwfl *dwfl) const
{
    dwfl_end(dwfl);
}

StackUnwinder::StackUnwinder() = default;
StackUnwinder::~StackUnwinder() = default;

Dwfl *StackUnwinder::sessionFor(pid_t pid)
{
    auto known = m_sessions.find(pid);
    if (known != m_sessions.end()) return known->second.get();
    std::unique_ptr<Dwfl, Deleter> dwfl(dwfl_begin(&callbacks));
    if (!dwfl) return nullptr;
    // The tracer has the threads stopped: libdwfl must not attach itself.
    // Each returns 0, or an errno (-1: libdwfl's own error).
    int err = dwfl_linux_proc_report(dwfl.get(), pid);
    if (err == 0) err = dwfl_report_end(dwfl.get(), nullptr, nullptr);
    if (err == 0) err = dwfl_linux_proc_attach(dwfl.get(), pid, true);
    if (err != 0) {
        lastError = err > 0 ? std::string(strerror(err)) : std::string(dwfl_errmsg(-1));
        return nullptr;
    }
    return m_sessions.emplace(pid, std::move(dwfl)).first->second.get();
}

std::vector<std::string> StackUnwinder::stackOf(pid_t pid, pid_t tid)
{
    Dwfl *dwfl = sessionFor(pid);
    if (!dwfl) return {};
    Walk walk{dwfl, {}};
    // A module mapped since the session was made (dlopen) is found on the next
    // try: the session is made again when a frame falls outside every module.
    if (dwfl_getthread_frames(dwfl, tid, onFrame, &walk) != 0 && walk.frames.empty())
        lastError = dwfl_errmsg(-1);
    bool unknown = false;
    for (const auto &f : walk.frames)
        unknown |= f.rfind("?? (", 0) == 0;
    if (unknown) {
        forget(pid);
        if ((dwfl = sessionFor(pid))) {
            walk = Walk{dwfl, {}};
            dwfl_getthread_frames(dwfl, tid, onFrame, &walk);
        }
    }
    return walk.frames;
}

void StackUnwinder::forget(pid_t pid)
{
    m_sessions.erase(pid);
}

} // namespace spawnlab::detail
