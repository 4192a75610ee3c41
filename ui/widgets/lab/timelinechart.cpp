// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/timelinechart.h"

#include "qs.h"

#include "spawnlab/names.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace spawnlab {
namespace {

constexpr int kAxisHeight = 44; // tick labels, then the parent's markers
constexpr int kRightMargin = 110;
constexpr int kMaxLabelWidth = 300;

// 1, 2 or 5 times a power of ten, so about `count` ticks cover `span`.
double tickStep(double span, int count)
{
    const double raw = span / std::max(count, 1);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (raw <= m * power) return m * power;
    return 10 * power;
}

} // namespace

TimelineChart::TimelineChart(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
}

void TimelineChart::setRun(const std::vector<TraceStep> &steps, const Timings &timings,
                           int failedRow)
{
    m_steps = steps;
    m_timings = timings;
    m_failed = failedRow;
    m_selected = -1;
    updateGeometry();
    update();
}

void TimelineChart::setSelectedRow(int row)
{
    m_selected = row;
    update();
}

int TimelineChart::rowHeight() const
{
    return fontMetrics().height() + 8;
}

QString TimelineChart::label(const TraceStep &step) const
{
    const auto name = stepName(step.step);
    QString text = qs(name);
    if (!step.arg.empty()) text += QStringLiteral("  ") + qs(step.arg);
    return text;
}

int TimelineChart::labelWidth() const
{
    int width = 80;
    for (const TraceStep &s : m_steps)
        width = std::max(width, fontMetrics().horizontalAdvance(label(s)));
    return std::min(width, kMaxLabelWidth) + 20;
}

double TimelineChart::endUs() const
{
    double end = std::max(m_timings.spawnUs, m_timings.execConfirmedUs);
    for (const TraceStep &s : m_steps)
        end = std::max(end, s.tUs);
    return end > 0 ? end : 1.0;
}

QSize TimelineChart::sizeHint() const
{
    return {600, kAxisHeight + rowHeight() * int(std::max<std::size_t>(m_steps.size(), 1)) + 8};
}

QSize TimelineChart::minimumSizeHint() const
{
    return {300, sizeHint().height()};
}

// Where the time axis lies: x for a time in µs.
struct TimelineChart::Scale {
    int left = 0;      // the plot's left edge, after the labels
    int plotWidth = 0; // its width
    double endUs = 1;  // the time at its right edge
    int x(double us) const { return left + int(us / endUs * plotWidth); }
};

void TimelineChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Text));
    if (m_steps.empty()) {
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("No steps: the child ran none of spawnlab's steps (posix_spawn runs glibc's, "
                      "or nothing was started)."));
        return;
    }
    const int left = labelWidth();
    const Scale scale{left, std::max(50, width() - left - kRightMargin), endUs()};
    paintAxis(p, scale);
    for (std::size_t i = 0; i < m_steps.size(); ++i)
        paintRow(p, scale, i);
    paintMarkers(p, scale);
}

// Axis with ticks, on top.
void TimelineChart::paintAxis(QPainter &p, const Scale &scale) const
{
    const QPalette &pal = palette();
    const QColor grid = pal.color(QPalette::Mid);
    const double step = tickStep(scale.endUs, std::max(2, scale.plotWidth / 90));
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(4, 0, scale.left - 36, kAxisHeight / 2), Qt::AlignRight | Qt::AlignBottom,
               tr("µs since the spawn call"));
    for (double t = 0; t <= scale.endUs * 1.0001; t += step) {
        const int tx = scale.x(t);
        p.setPen(grid);
        p.drawLine(tx, kAxisHeight - 4, tx, height());
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(tx - 40, 0, 80, kAxisHeight / 2), Qt::AlignHCenter | Qt::AlignBottom,
                   QString::number(t, 'g', 6));
    }
}

// A step's row: its label, then a bar from the previous step's end to its own.
void TimelineChart::paintRow(QPainter &p, const Scale &scale, std::size_t i) const
{
    const QPalette &pal = palette();
    const QColor okBar = pal.color(QPalette::Highlight);
    const QColor failBar(0xd7, 0x3a, 0x49); // readable on light and dark bases
    const QColor triedBar = pal.color(QPalette::Mid);
    const int rowH = rowHeight();
    const TraceStep &s = m_steps[i];
    const int y = kAxisHeight + int(i) * rowH;
    if (int(i) == m_selected)
        p.fillRect(QRect(0, y, width(), rowH), pal.color(QPalette::AlternateBase));
    p.setPen(pal.color(QPalette::Text));
    const QString text = fontMetrics().elidedText(label(s), Qt::ElideRight, scale.left - 12);
    p.drawText(QRect(4, y, scale.left - 12, rowH), Qt::AlignLeft | Qt::AlignVCenter, text);
    const double from = i == 0 ? 0.0 : m_steps[i - 1].tUs;
    const int x0 = scale.x(from), x1 = std::max(scale.x(s.tUs), x0 + 3);
    const bool failed = int(i) == m_failed;
    p.fillRect(QRect(x0, y + 3, x1 - x0, rowH - 6), failed ? failBar : s.err ? triedBar : okBar);
    QString took = QStringLiteral("+%1 µs").arg(s.tUs - from, 0, 'f', 1);
    if (s.err)
        took += QStringLiteral("  ") + qs(errnoName(s.err)) +
                (failed ? tr(" — the child stopped here") : tr(", next"));
    // Right of the bar if it fits, else left of it: never cut at the edge.
    const int tw = fontMetrics().horizontalAdvance(took) + 4;
    const QRect textBox =
        x1 + 4 + tw <= width() ? QRect(x1 + 4, y, tw, rowH) : QRect(x0 - 4 - tw, y, tw, rowH);
    p.drawText(textBox, Qt::AlignLeft | Qt::AlignVCenter, took);
}

// The parent's view of the same run: one line style each, named in a legend
// in the axis band (labels at the lines would collide: the two moments are
// often microseconds apart).
void TimelineChart::paintMarkers(QPainter &p, const Scale &scale) const
{
    const QPalette &pal = palette();
    int legendX = 4;
    auto marker = [&](double us, Qt::PenStyle style, const QString &name) {
        if (us <= 0) return;
        const QPen pen(pal.color(QPalette::Text), 1, style);
        p.setPen(pen);
        const int mx = scale.x(us);
        p.drawLine(mx, kAxisHeight / 2 + 2, mx, height());
        const int y = kAxisHeight / 2 + kAxisHeight / 4;
        p.drawLine(legendX, y, legendX + 18, y);
        p.setPen(pal.color(QPalette::Text));
        const QString text = QStringLiteral("%1 (%2 µs)").arg(name).arg(us, 0, 'f', 1);
        const int w = fontMetrics().horizontalAdvance(text);
        p.drawText(QRect(legendX + 22, kAxisHeight / 2, w + 4, kAxisHeight / 2),
                   Qt::AlignLeft | Qt::AlignVCenter, text);
        legendX += 22 + w + 16;
    };
    marker(m_timings.spawnUs, Qt::DashLine, tr("the parent's spawn call returned"));
    marker(m_timings.execConfirmedUs, Qt::DotLine, tr("exec confirmed"));
}

void TimelineChart::mousePressEvent(QMouseEvent *event)
{
    const int row = (int(event->position().y()) - kAxisHeight) / rowHeight();
    if (event->position().y() >= kAxisHeight && row >= 0 && row < int(m_steps.size())) {
        setSelectedRow(row);
        Q_EMIT rowClicked(row);
    }
}

} // namespace spawnlab
