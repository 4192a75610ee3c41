// SPDX-License-Identifier: GPL-3.0-or-later
// `spawnlab --screenshot DIR`: opens the fd-leak example, shows the plan
// editor, runs the plan, and saves a PNG of each page (editor, result, fd
// tables, timeline), then does the same for the failing-chdir example, and
// quits. Reproducible pictures for the README, taken with QWidget::grab().
#pragma once

#include <QObject>
#include <QString>

namespace spawnlab {

class MainWindow;

// Starts the sequence; the application quits when it is done (exit code 1 if
// a PNG could not be written or a run did not finish).
void takeScreenshots(MainWindow *window, const QString &directory);

} // namespace spawnlab
