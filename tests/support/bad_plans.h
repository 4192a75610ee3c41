// SPDX-License-Identifier: GPL-3.0-or-later
// Broken plan files and the key each must be rejected for, shared by the CLI
// test (exit 2, the key in the message, nothing ran) and the GUI test (the
// document refuses or marks the key). %MARKER% is a file the plan would create.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

struct BadPlan {
    const char *name;
    QByteArray json;
    QString field; // "" for the file as a whole (invalid JSON)
};

inline QList<BadPlan> badPlans()
{
    const QByteArray head = R"({"spawnlab_plan": 1, "argv": ["touch", "%MARKER%"], )";
    return {
        {"invalid json", R"({"spawnlab_plan": 1, "argv": ["touch", "%MARKER%"])", ""},
        {"wrong type", head + R"("timeout_ms": "soon"})", "timeout_ms"},
        {"empty argv", R"({"spawnlab_plan": 1, "argv": []})", "argv"},
        {"NUL in argv", R"({"spawnlab_plan": 1, "argv": ["touch", "%MARKER%\u0000x"]})", "argv[1]"},
        {"NUL in env", head + R"("env": {"set": {"A": "b\u0000c"}}})", "env.set.A"},
        {"= in env name", head + R"("env": {"set": {"A=B": "c"}}})", "env.set.A=B"},
        {"negative fd", head + R"("fds": [{"fd": -1, "action": "null"}]})", "fds[0].fd"},
        {"huge fd", head + R"("fds": [{"fd": 99999999, "action": "null"}]})", "fds[0].fd"},
        {"same fd twice",
         head + R"("fds": [{"fd": 5, "action": "null"}, {"fd": 5, "action": "close"}]})",
         "fds[1].fd"},
        {"pass_fds collides", head + R"("fds": [{"fd": 0, "action": "null"}], "pass_fds": [0]})",
         "pass_fds[0]"},
        {"unknown signal", head + R"("signals": {"block": ["SIGNOPE"]}})", "signals.block[0]"},
        {"SIGKILL blocked", head + R"("signals": {"block": ["SIGKILL"]}})", "signals.block[0]"},
        {"SIGSTOP ignored", head + R"("signals": {"ignore": ["SIGSTOP"]}})", "signals.ignore[0]"},
        {"non-octal umask", head + R"("umask": "0989"})", "umask"},
        {"unknown strategy", head + R"("strategy": "spoon"})", "strategy"},
        {"credentials with vfork", head + R"("strategy": "vfork", "credentials": {"uid": 0}})",
         "strategy"},
    };
}
