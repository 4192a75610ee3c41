// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/explainview.h"
#include "qs.h"

#include "models/steptimelinemodel.h"

#include "spawnlab/names.h"

#include <QEvent>
#include <QScrollBar>
#include <QStyle>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace spawnlab {
namespace {

const QString kStepScheme = QStringLiteral("step");
const QString kFailedIcon = QStringLiteral("explain:failed");
constexpr int kMaxRunsShown = 12; // a plan with hundreds of fds has as many dup2 records

QString anchorName(Step step)
{
    return QStringLiteral("step-") + qs(stepName(step));
}

QString us(double value)
{
    return QStringLiteral("%1 µs").arg(value, 0, 'f', 1);
}

// Links in the palette's Link colour; a palette that darkens Base but keeps
// Qt's default blue link (as a bare dark palette does) gets a lighter link, so
// it stays readable.
QColor linkColor(const QPalette &p)
{
    const QColor link = p.color(QPalette::Link);
    const QColor base = p.color(QPalette::Base);
    if (qAbs(link.lightness() - base.lightness()) >= 100) return link;
    return base.lightness() < 128 ? link.lighter(180) : link.darker(180);
}

// The failed step wears the style's critical icon, as in the timeline, so it
// reads as failed in any palette without a colour of our own.
class Browser : public QTextBrowser
{
public:
    using QTextBrowser::QTextBrowser;

protected:
    QVariant loadResource(int type, const QUrl &name) override
    {
        if (type == QTextDocument::ImageResource && name.toString() == kFailedIcon) {
            const int size = fontMetrics().height();
            return style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(size, size);
        }
        return QTextBrowser::loadResource(type, name);
    }
};

} // namespace

ExplainView::ExplainView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_browser = new Browser(this);
    m_browser->setObjectName(QStringLiteral("explainBrowser"));
    m_browser->setOpenLinks(false); // step links select, they do not navigate
    layout->addWidget(m_browser);
    connect(m_browser, &QTextBrowser::anchorClicked, this, &ExplainView::onAnchorClicked);
    setPlan({});
}

void ExplainView::setPlan(const SpawnPlan &plan)
{
    m_plan = plan;
    m_result.reset();
    m_explanation = explainStrategy(m_plan);
    render();
}

void ExplainView::setResult(const RunResult &result)
{
    m_result = result;
    m_explanation = explainStrategy(m_plan, &*m_result);
    render();
}

void ExplainView::showStep(Step step)
{
    if (!stepFromKey(qs(stepName(step)))) return; // spawn, posix_spawn: not a child step
    m_highlighted = step;
    render();
    m_browser->scrollToAnchor(anchorName(step));
}

void ExplainView::onAnchorClicked(const QUrl &url)
{
    if (url.scheme() != kStepScheme) return;
    const auto step = stepFromKey(url.path());
    if (!step) return;
    showStep(*step);
    Q_EMIT stepActivated(*step);
}

void ExplainView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The HTML carries palette colours; a palette switch (--dark) redraws it.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) render();
}

QString ExplainView::stepStatus(const StepExplanation &s) const
{
    if (!m_explanation.traced)
        return s.inPlan ? tr("glibc runs this, untraced") : tr("not in this plan");
    if (!m_explanation.hasResult) return s.inPlan ? tr("in this plan") : tr("not in this plan");
    if (s.runs.isEmpty()) {
        if (!s.inPlan) return tr("not in this plan");
        const bool childFailed = m_result && m_result->error && m_result->pid > 0;
        return childFailed ? tr("did not run: the child stopped at an earlier step")
                           : tr("did not run");
    }
    QStringList lines;
    for (qsizetype i = 0; i < s.runs.size() && i < kMaxRunsShown; ++i) {
        const StepRun &run = s.runs[i];
        const QString arg = run.arg.isEmpty()
                                ? QString()
                                : QStringLiteral("<tt>%1</tt> ").arg(run.arg.toHtmlEscaped());
        if (run.fatal)
            lines << QStringLiteral("<img src='%1'> <b>%2%3</b>")
                         .arg(kFailedIcon, arg,
                              tr("failed at %1: %2").arg(us(run.tUs), errnoSentence(run.err)));
        else if (run.err != 0)
            lines << arg + tr("%1 at %2, not fatal").arg(errnoSentence(run.err), us(run.tUs));
        else
            lines << arg + tr("ok at %1").arg(us(run.tUs));
    }
    if (s.runs.size() > kMaxRunsShown)
        lines << tr("… and %1 more (see the timeline)").arg(s.runs.size() - kMaxRunsShown);
    return tr("ran: ") + lines.join(QStringLiteral("<br>"));
}

QString ExplainView::stepHtml(const StepExplanation &s) const
{
    const QPalette &p = palette();
    const bool highlighted = m_highlighted == s.step;
    QString style;
    QString linkStyle;
    if (highlighted) {
        style = QStringLiteral("background-color:%1; color:%2;")
                    .arg(p.color(QPalette::Highlight).name(),
                         p.color(QPalette::HighlightedText).name());
        linkStyle =
            QStringLiteral(" style='color:%1'").arg(p.color(QPalette::HighlightedText).name());
    } else if (!s.inPlan) {
        style = QStringLiteral("color:%1;").arg(p.color(QPalette::PlaceholderText).name());
    }
    return QStringLiteral("<p style='margin-top:8px; %1'><a name='%2'></a>"
                          "<a href='%3:%4'%5><b>%4</b></a> — %6<br>%7<br><i>%8</i> %9</p>")
        .arg(style, anchorName(s.step), kStepScheme, s.name, linkStyle, stepStatus(s),
             s.kernel.toHtmlEscaped(), tr("Why here:"), s.order.toHtmlEscaped());
}

void ExplainView::render()
{
    const StrategyExplanation &e = m_explanation;
    QString html = QStringLiteral("<h2>%1</h2><p>%2</p>")
                       .arg(qs(strategyName(e.strategy)),
                            (e.automatic ? tr("Chosen by auto: ") : tr("Set by the plan: ")) +
                                e.reason.toHtmlEscaped());
    QStringList planned;
    for (const StepExplanation &s : e.steps)
        if (s.inPlan) planned << QStringLiteral("<a href='%1:%2'>%2</a>").arg(kStepScheme, s.name);
    html += QStringLiteral("<p>%1 %2</p>")
                .arg(e.traced ? tr("This child runs:") : tr("glibc runs, untraced:"),
                     planned.join(QStringLiteral(" → ")));
    for (const ExplainSection &section : e.sections)
        html += QStringLiteral("<h3><a name='section-%1'></a>%2</h3><p>%3</p>")
                    .arg(section.id, section.title.toHtmlEscaped(), section.text.toHtmlEscaped());
    html += QStringLiteral("<h3><a name='section-steps'></a>%1</h3><p>%2</p>")
                .arg(tr("The child's steps, in the order it runs them"),
                     tr("open, dup2, close and inherit are the fd actions: they run in the order "
                        "of the plan's fds, after the moves that put sources out of harm's way."));
    for (const StepExplanation &s : e.steps)
        html += stepHtml(s);

    const int scroll = m_browser->verticalScrollBar()->value();
    // QTextDocument colours links from the application palette unless told.
    m_browser->document()->setDefaultStyleSheet(
        QStringLiteral("a { color: %1; }").arg(linkColor(palette()).name()));
    m_browser->setHtml(html);
    m_browser->verticalScrollBar()->setValue(scroll);
}

} // namespace spawnlab
