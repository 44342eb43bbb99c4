//===- PlanSvg.cpp - The arena plan as an SVG picture ---------------------===//
//
// x = schedule step, y = arena offset (0 at the bottom). Each arena buffer
// is one <rect class="buffer"> spanning its steps [first, last] and its bytes
// [offset, offset + size), with a <title> tooltip (values, bytes, lifetime,
// the op that makes it) and its name written inside when the name fits. A
// dashed line marks the lower bound, a solid one the arena, a band the peak
// step. The plot has a fixed size whatever the model: a rectangle of 10
// buffers is large and labelled, one of 300 thin, still with its tooltip.
// An arena split across memory regions is drawn as the planner lays the
// regions out, end to end, each with its name and the bytes used in it.
//
//===----------------------------------------------------------------------===//
#include "ReportFormat.h"
#include "tinyplan/Report/ModelReport.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cmath>
#include <map>

namespace tinyplan {

namespace {

constexpr double kPlotWidth = 960, kPlotHeight = 480;
constexpr double kLeft = 90, kRight = 30, kTop = 44, kBottom = 56;
/// Approximate advance of one character of the 11 px label font.
constexpr double kCharWidth = 6.2;

std::string num(double v) { return absl::StrFormat("%.2f", v); }

/// A "nice" tick spacing: 1, 2 or 5 times a power of ten, about max / n.
int64_t tickStep(int64_t max, int n) {
  double raw = std::max(1.0, double(max) / n);
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw)
      return std::max<int64_t>(1, int64_t(m * power));
  return int64_t(10 * power);
}

} // namespace

void ModelReport::printSvg(llvm::raw_ostream &os) const {
  const Liveness &liveness = plan_->liveness();
  const Graph &graph = liveness.graph();
  const ReportTotals &t = totals_;
  int64_t steps = std::max<int64_t>(1, liveness.numSteps());
  bool split = plan_->regions().size() > 1;
  int64_t top = std::max<int64_t>({split ? plan_->arena() : t.arena, t.lowerBound, 1});
  double dx = kPlotWidth / double(steps);
  double dy = kPlotHeight / double(top);
  auto xAt = [&](double step) { return kLeft + step * dx; };
  auto yAt = [&](double offset) { return kTop + kPlotHeight - offset * dy; };
  double width = kLeft + kPlotWidth + kRight, height = kTop + kPlotHeight + kBottom;

  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(width) << "\" height=\""
     << num(height) << "\" viewBox=\"0 0 " << num(width) << ' ' << num(height)
     << "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  os << "<title>" << xmlEscape(absl::StrCat("arena plan of ", graph.name(), ": ",
                                            withCommas(t.arena), " B, lower bound ",
                                            withCommas(t.lowerBound), " B"))
     << "</title>\n";
  os << "<style>.buffer{stroke:#333;stroke-width:0.5}.buffer:hover{stroke-width:2}"
        ".label{pointer-events:none}</style>\n";
  os << "<text x=\"" << num(kLeft) << "\" y=\"18\" font-size=\"14\">"
     << xmlEscape(absl::StrCat(graph.name(), ": arena ", withCommas(t.arena), " B, lower bound ",
                               withCommas(t.lowerBound), " B, ", liveness.buffers().size(),
                               " buffers over ", liveness.numSteps(), " steps"))
     << "</text>\n";
  os << "<rect class=\"plot\" x=\"" << num(kLeft) << "\" y=\"" << num(kTop) << "\" width=\""
     << num(kPlotWidth) << "\" height=\"" << num(kPlotHeight)
     << "\" fill=\"#fafafa\" stroke=\"#999\"/>\n";

  // The peak step, behind the buffers.
  if (liveness.numSteps() > 0)
    os << "<rect class=\"peak\" x=\"" << num(xAt(double(t.peakStep))) << "\" y=\""
       << num(kTop) << "\" width=\"" << num(dx) << "\" height=\"" << num(kPlotHeight)
       << "\" fill=\"#ffe08a\" opacity=\"0.6\"><title>"
       << xmlEscape(absl::StrCat("peak: step ", t.peakStep, ", ", withCommas(t.peakBytes),
                                 " B live"))
       << "</title></rect>\n";

  // The patch loop: each patch's steps, in alternating bands.
  if (const std::optional<PatchSummary> &patches = options_.patches) {
    std::map<std::string, int64_t> stepOf;
    for (size_t step = 0; step < liveness.schedule().size(); ++step)
      stepOf[graph.node(liveness.schedule()[step])->name()] = int64_t(step);
    for (size_t k = 0; k < patches->patchNodes.size(); ++k) {
      int64_t first = steps, last = -1;
      for (const std::string &name : patches->patchNodes[k])
        if (auto it = stepOf.find(name); it != stepOf.end())
          first = std::min(first, it->second), last = std::max(last, it->second);
      if (last < first)
        continue;
      os << "<rect class=\"patch\" x=\"" << num(xAt(double(first))) << "\" y=\"" << num(kTop)
         << "\" width=\"" << num(dx * double(last - first + 1)) << "\" height=\""
         << num(kPlotHeight) << "\" fill=\"" << (k % 2 ? "#dbe9f6" : "#eef4fb")
         << "\"><title>"
         << xmlEscape(absl::StrCat("patch ", k + 1, " of ", patches->patchNodes.size(),
                                   ": steps ", first, " to ", last))
         << "</title></rect>\n";
    }
    os << "<text x=\"" << num(kLeft + kPlotWidth) << "\" y=\"18\" text-anchor=\"end\">"
       << xmlEscape(absl::StrCat("patch loop: ", patches->patches, " x ", patches->patches,
                                 " patches up to ", patches->until))
       << "</text>\n";
  }

  // Axes: steps below, bytes on the left.
  int64_t stepTick = tickStep(steps, 20);
  for (int64_t s = 0; s < steps; s += stepTick)
    os << "<text x=\"" << num(xAt(double(s) + 0.5)) << "\" y=\""
       << num(kTop + kPlotHeight + 14) << "\" text-anchor=\"middle\">" << s << "</text>\n";
  os << "<text x=\"" << num(kLeft + kPlotWidth / 2) << "\" y=\"" << num(height - 8)
     << "\" text-anchor=\"middle\">schedule step</text>\n";
  int64_t byteTick = tickStep(top, 8);
  for (int64_t b = 0; b <= top; b += byteTick)
    os << "<text x=\"" << num(kLeft - 6) << "\" y=\"" << num(yAt(double(b)) + 4)
       << "\" text-anchor=\"end\">" << withCommas(b) << "</text>\n";
  os << "<text x=\"14\" y=\"" << num(kTop + kPlotHeight / 2) << "\" text-anchor=\"middle\""
     << " transform=\"rotate(-90 14 " << num(kTop + kPlotHeight / 2)
     << ")\">arena offset (bytes)</text>\n";

  // One rectangle per arena buffer.
  for (unsigned b = 0; b < liveness.buffers().size(); ++b) {
    std::optional<int64_t> offset = plan_->bufferOffset(b);
    if (!offset)
      continue;
    const BufferInfo &buffer = liveness.buffer(b);
    double x = xAt(double(buffer.first)), w = double(buffer.last - buffer.first + 1) * dx;
    double y = yAt(double(*offset + buffer.size)), h = double(buffer.size) * dy;
    std::string label = bufferLabel(b);
    std::string maker;
    if (buffer.rootValue >= 0) {
      if (const Node *producer = graph.value(unsigned(buffer.rootValue))->producer())
        maker = absl::StrCat(", made by ", producer->name(), " (", producer->opType(), ")");
      else
        maker = ", graph input";
    }
    std::string tip = absl::StrCat(label, ": ", withCommas(buffer.size), " B at [", *offset,
                                   ", ", *offset + buffer.size, "), steps ", buffer.first,
                                   " to ", buffer.last, maker);
    // Hue by id, golden angle apart: neighbours differ.
    int hue = int(std::fmod(double(b) * 137.508, 360.0));
    os << "<rect class=\"buffer\" x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\""
       << num(w) << "\" height=\"" << num(std::max(h, 0.5)) << "\" fill=\"hsl(" << hue
       << ",55%,72%)\"><title>" << xmlEscape(tip) << "</title></rect>\n";
    std::string shortName = buffer.rootValue >= 0
                                ? "%" + graph.value(unsigned(buffer.rootValue))->name()
                                : "scratch";
    if (w >= double(shortName.size()) * kCharWidth + 4 && h >= 13)
      os << "<text class=\"label\" x=\"" << num(x + w / 2) << "\" y=\"" << num(y + h / 2 + 4)
         << "\" text-anchor=\"middle\">" << xmlEscape(shortName) << "</text>\n";
  }

  // The lower bound and the arena.
  auto hline = [&](int64_t bytes, const char *cls, const char *style, const std::string &text,
                   bool above) {
    double y = yAt(double(bytes));
    os << "<line class=\"" << cls << "\" x1=\"" << num(kLeft) << "\" x2=\""
       << num(kLeft + kPlotWidth) << "\" y1=\"" << num(y) << "\" y2=\"" << num(y) << "\" "
       << style << "/>\n";
    os << "<text x=\"" << num(kLeft + kPlotWidth - 4) << "\" y=\"" << num(above ? y - 4 : y + 12)
       << "\" text-anchor=\"end\">" << xmlEscape(text) << "</text>\n";
  };
  if (split) {
    // Each region from its start (dotted) to the end of its bytes used.
    for (const RegionUse &use : plan_->regions()) {
      hline(use.base, "region", "stroke=\"#06c\" stroke-width=\"1\" stroke-dasharray=\"2 3\"",
            absl::StrCat("region ", use.region.name, use.region.fast ? " (fast)" : ""), false);
      hline(use.base + use.used, "arena", "stroke=\"#000\" stroke-width=\"1.5\"",
            absl::StrCat(use.region.name, ": ", withCommas(use.used), " B used"), true);
    }
  } else {
    hline(t.arena, "arena", "stroke=\"#000\" stroke-width=\"1.5\"",
          absl::StrCat("arena ", withCommas(t.arena), " B"), true);
    hline(t.lowerBound, "lower-bound",
          "stroke=\"#c00\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"",
          absl::StrCat("lower bound ", withCommas(t.lowerBound), " B"), false);
  }
  if (liveness.numSteps() > 0)
    os << "<rect x=\"" << num(xAt(double(t.peakStep))) << "\" y=\"" << num(kTop)
       << "\" width=\"" << num(dx) << "\" height=\"" << num(kPlotHeight)
       << "\" fill=\"none\" stroke=\"#e08000\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>\n";
  if (liveness.numSteps() > 0)
    os << "<text x=\"" << num(xAt(double(t.peakStep) + 0.5)) << "\" y=\"" << num(kTop - 6)
       << "\" text-anchor=\"middle\" fill=\"#a60\">"
       << xmlEscape(absl::StrCat("peak, step ", t.peakStep)) << "</text>\n";
  os << "</svg>\n";
}

} // namespace tinyplan
