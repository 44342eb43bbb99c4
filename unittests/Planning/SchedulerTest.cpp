//===- SchedulerTest.cpp - Peak model and operator scheduling -------------===//
//
// The peak model against the liveness analysis (the plan's lower bound) on
// seeded random graphs in random orders and on every shared model; the exact
// scheduler against a brute-force optimum over all topological orders; a
// hand-computed branchy graph; cuts, budgets and determinism.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/Scheduler.h"
#include "tinyplan/Planning/GraphPlanner.h"
#include "tinyplan/Planning/PeakModel.h"
#include "tinyplan/Transforms/Passes.h"

#include "absl/strings/str_cat.h"
#include "llvm/Support/FileSystem.h"
#include "../GraphTestUtils.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <functional>
#include <numeric>
#include <random>

namespace tinyplan {
namespace {

/// The plan's lower bound for \p order, by the liveness analysis.
int64_t livenessPeak(const Graph &graph, llvm::ArrayRef<unsigned> order,
                     const LivenessOptions &options) {
  absl::StatusOr<Liveness> liveness = Liveness::compute(graph, order, options);
  EXPECT_TRUE(liveness.ok()) << liveness.status();
  if (!liveness.ok())
    return -1;
  return computeLowerBound(arenaRequests(*liveness));
}

/// A random topological order of \p model's nodes.
std::vector<unsigned> randomOrder(const PeakModel &model, std::mt19937 &rng) {
  unsigned n = model.numNodes();
  std::vector<unsigned> waiting(n), order;
  std::vector<unsigned> ready;
  for (unsigned i = 0; i < n; ++i) {
    waiting[i] = model.preds(i).size();
    if (!waiting[i])
      ready.push_back(i);
  }
  while (!ready.empty()) {
    size_t pick = std::uniform_int_distribution<size_t>(0, ready.size() - 1)(rng);
    unsigned node = ready[pick];
    ready.erase(ready.begin() + pick);
    order.push_back(node);
    for (unsigned s : model.succs(node))
      if (--waiting[s] == 0)
        ready.push_back(s);
  }
  return order;
}

/// A random DAG of \p numNodes nodes over f32[1,C,4,4] tensors (C = 1..16),
/// in ONNX text: 1x1 Convs that change the channel count, in-place Relu and
/// Add, Concat (slices), Reshape to the same shape (views). Operands are
/// drawn mostly from recent values; unread values become graph outputs.
std::string randomGraphText(unsigned numNodes, std::mt19937 &rng) {
  auto uniform = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  std::vector<int> channels = {uniform(1, 8)};
  std::vector<std::string> names = {"x"};
  std::vector<int> reads = {0};
  std::string body, inits = "int64[4] same = {1, -1, 4, 4}";
  auto pickOperand = [&]() {
    int last = int(names.size()) - 1;
    return uniform(0, 3) ? std::max(0, last - uniform(0, 3)) : uniform(0, last);
  };
  for (unsigned i = 0; i < numNodes; ++i) {
    std::string name = absl::StrCat("v", i);
    int a = pickOperand();
    int kind = uniform(0, 9);
    int outChannels = channels[a];
    if (kind <= 2) {
      outChannels = uniform(1, 8);
      std::string w = absl::StrCat("w", i);
      absl::StrAppend(&inits, ", float[", outChannels, ",", channels[a], ",1,1] ", w,
                      " = {");
      for (int k = 0; k < outChannels * channels[a]; ++k)
        absl::StrAppend(&inits, k ? ", " : "", "1");
      absl::StrAppend(&inits, "}");
      absl::StrAppend(&body, "  ", name, " = Conv(", names[a], ", ", w, ")\n");
    } else if (kind <= 4) {
      absl::StrAppend(&body, "  ", name, " = Relu(", names[a], ")\n");
    } else if (kind <= 6) {
      int b = -1;
      for (int tries = 0; tries < 8 && b < 0; ++tries) {
        int c = pickOperand();
        if (channels[c] == channels[a])
          b = c;
      }
      if (b < 0) {
        absl::StrAppend(&body, "  ", name, " = Relu(", names[a], ")\n");
      } else {
        absl::StrAppend(&body, "  ", name, " = Add(", names[a], ", ", names[b], ")\n");
        ++reads[b];
      }
    } else if (kind <= 8) {
      int b = pickOperand();
      if (b == a || channels[a] + channels[b] > 16) {
        absl::StrAppend(&body, "  ", name, " = Relu(", names[a], ")\n");
      } else {
        absl::StrAppend(&body, "  ", name, " = Concat <axis = 1> (", names[a], ", ",
                        names[b], ")\n");
        outChannels = channels[a] + channels[b];
        ++reads[b];
      }
    } else {
      absl::StrAppend(&body, "  ", name, " = Reshape(", names[a], ", same)\n");
    }
    ++reads[a];
    names.push_back(name);
    channels.push_back(outChannels);
    reads.push_back(0);
  }
  std::string outputs;
  for (size_t v = 1; v < names.size(); ++v)
    if (!reads[v] || v + 1 == names.size())
      absl::StrAppend(&outputs, outputs.empty() ? "" : ", ", "float[] ", names[v]);
  return absl::StrCat("<ir_version: 8, opset_import: [\"\" : 17]>\nrandom (float[1,",
                      channels[0], ",4,4] x) => (", outputs, ")\n<", inits, ">\n{\n",
                      body, "}\n");
}

std::vector<LivenessOptions> optionVariants() {
  std::vector<LivenessOptions> variants(4);
  variants[1].inPlace = false;
  variants[2].ioInArena = false;
  variants[3].align = 1;
  variants[3].views = false;
  return variants;
}

TEST(PeakModelTest, AgreesWithLivenessOnRandomGraphsAndOrders) {
  std::mt19937 rng(20240611);
  int exactModels = 0, orders = 0;
  for (int g = 0; g < 150; ++g) {
    std::string text = randomGraphText(6 + g % 35, rng);
    auto graph = parse(text);
    ASSERT_TRUE(graph) << text;
    for (const LivenessOptions &options : optionVariants()) {
      PeakModel model = PeakModel::build(*graph, options);
      if (!model.exact())
        continue;
      ++exactModels;
      for (int k = 0; k < 10; ++k) {
        std::vector<unsigned> order = randomOrder(model, rng);
        ASSERT_EQ(model.peakOf(order), livenessPeak(*graph, order, options)) << text;
        ++orders;
      }
    }
  }
  // Nearly every random graph is one the model handles exactly.
  EXPECT_GE(exactModels, 450);
  EXPECT_EQ(orders, exactModels * 10);
}

/// The least liveness peak over all topological orders, by enumeration.
int64_t bruteForceOptimum(const Graph &graph, const PeakModel &model,
                          const LivenessOptions &options) {
  unsigned n = model.numNodes();
  std::vector<unsigned> order, waiting(n);
  for (unsigned i = 0; i < n; ++i)
    waiting[i] = model.preds(i).size();
  std::vector<bool> done(n, false);
  int64_t best = -1;
  std::function<void()> extend = [&] {
    if (order.size() == n) {
      int64_t peak = livenessPeak(graph, order, options);
      if (best < 0 || peak < best)
        best = peak;
      return;
    }
    for (unsigned i = 0; i < n; ++i) {
      if (done[i] || waiting[i])
        continue;
      done[i] = true;
      order.push_back(i);
      for (unsigned s : model.succs(i))
        --waiting[s];
      extend();
      for (unsigned s : model.succs(i))
        ++waiting[s];
      order.pop_back();
      done[i] = false;
    }
  };
  extend();
  return best;
}

bool isTopological(const PeakModel &model, llvm::ArrayRef<unsigned> order) {
  std::vector<int> position(model.numNodes(), -1);
  for (unsigned i = 0; i < order.size(); ++i)
    position[order[i]] = int(i);
  for (unsigned n = 0; n < model.numNodes(); ++n)
    for (unsigned p : model.preds(n))
      if (position[p] < 0 || position[n] < 0 || position[p] >= position[n])
        return false;
  return order.size() == model.numNodes();
}

TEST(SchedulerTest, ExactMatchesBruteForceOnSmallRandomGraphs) {
  std::mt19937 rng(7);
  int checked = 0, improved = 0;
  std::vector<LivenessOptions> variants = optionVariants();
  for (int g = 0; g < 120; ++g) {
    auto graph = parse(randomGraphText(5 + g % 5, rng));
    ASSERT_TRUE(graph);
    const LivenessOptions &options = variants[g % variants.size()];
    PeakModel model = PeakModel::build(*graph, options);
    if (!model.exact())
      continue;
    int64_t optimum = bruteForceOptimum(*graph, model, options);
    // A beam of width 1 leaves the exact search more to improve on, where
    // moving a free node ahead may hide the optimum from one search.
    for (auto [method, beamWidth] : {std::pair{ScheduleMethod::Exact, 128u},
                                     std::pair{ScheduleMethod::Auto, 128u},
                                     std::pair{ScheduleMethod::Exact, 1u}}) {
      ScheduleOptions scheduleOptions;
      scheduleOptions.method = method;
      scheduleOptions.beamWidth = beamWidth;
      absl::StatusOr<Schedule> schedule = scheduleGraph(*graph, options, scheduleOptions);
      ASSERT_TRUE(schedule.ok()) << schedule.status();
      ASSERT_TRUE(isTopological(model, schedule->order));
      EXPECT_EQ(schedule->peak, optimum);
      EXPECT_EQ(livenessPeak(*graph, schedule->order, options), optimum);
      EXPECT_TRUE(schedule->provenOptimal);
      EXPECT_EQ(schedule->lowerBound, optimum);
      EXPECT_LE(schedule->peak, schedule->filePeak);
    }
    improved += optimum < livenessPeak(*graph, {}, options);
    ++checked;
  }
  EXPECT_GE(checked, 100);
  // Enough of them have a better order than the generated one.
  EXPECT_GE(improved, 20);
}

// Two branches from x (f32[1,1,4,4], 64 B): b = Conv (4 channels, 256 B)
// kept until the end, and a = Conv (8 channels, 512 B) shrunk by c = Conv to
// 1 channel (64 B); y = Add(b, c) overwrites b. The orders and live bytes:
//   b a c y: (x b) 320, (x b a) 832, (b a c) 832, (b c) 320     peak 832
//   a b c y: (x a) 576, (x a b) 832, ...                          peak 832
//   a c b y: (x a) 576, (x a c) 640, (x c b) 384, (c b) 320       peak 640
const char *const kBranches = R"(
<ir_version: 8, opset_import: ["" : 17]>
branches (float[1,1,4,4] x) => (float[] y)
<float[4,1,1,1] wb = {1, 1, 1, 1}, float[8,1,1,1] wa = {1, 1, 1, 1, 1, 1, 1, 1},
 float[1,8,1,1] wc = {1, 1, 1, 1, 1, 1, 1, 1}>
{
  b = Conv(x, wb)
  a = Conv(x, wa)
  c = Conv(a, wc)
  y = Add(b, c)
}
)";

TEST(SchedulerTest, OrdersBranchesByHand) {
  auto graph = parse(kBranches);
  ASSERT_TRUE(graph);
  LivenessOptions options;
  EXPECT_EQ(livenessPeak(*graph, {0, 1, 2, 3}, options), 832);
  EXPECT_EQ(livenessPeak(*graph, {1, 0, 2, 3}, options), 832);
  EXPECT_EQ(livenessPeak(*graph, {1, 2, 0, 3}, options), 640);
  for (ScheduleMethod method :
       {ScheduleMethod::Heuristic, ScheduleMethod::Exact, ScheduleMethod::Auto}) {
    ScheduleOptions scheduleOptions;
    scheduleOptions.method = method;
    absl::StatusOr<Schedule> schedule = scheduleGraph(*graph, options, scheduleOptions);
    ASSERT_TRUE(schedule.ok());
    EXPECT_EQ(schedule->order, (std::vector<unsigned>{1, 2, 0, 3}));
    EXPECT_EQ(schedule->peak, 640);
    EXPECT_EQ(schedule->filePeak, 832);
    // The beam finds it; the exact search proves that nothing is better.
    EXPECT_EQ(schedule->method, "heuristic");
    EXPECT_EQ(schedule->provenOptimal, method != ScheduleMethod::Heuristic);
  }
  ScheduleOptions fileOptions;
  fileOptions.method = ScheduleMethod::File;
  absl::StatusOr<Schedule> file = scheduleGraph(*graph, options, fileOptions);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->order, (std::vector<unsigned>{0, 1, 2, 3}));
  EXPECT_EQ(file->peak, 832);
  EXPECT_EQ(file->method, "file");
}

// v = Reshape(a) is a slice of y, but a is also read by z, which may run
// after y: whether y's slices happen depends on the order, and the model
// says it is not exact. The scheduler then measures every order it
// compares with the liveness analysis and claims nothing.
const char *const kOrderDependentSlice = R"(
<ir_version: 8, opset_import: ["" : 17]>
ambiguous (float[1,1,4,4] x) => (float[] y, float[] z)
<float[2,1,1,1] wa = {1, 1}, float[2,1,1,1] wb = {1, 1}, int64[4] same = {1, -1, 4, 4}>
{
  a = Conv(x, wa)
  v = Reshape(a, same)
  b = Conv(x, wb)
  y = Concat <axis = 1> (v, b)
  z = Relu(a)
}
)";

TEST(SchedulerTest, OrderDependentSlicesAreMeasuredNotProven) {
  auto graph = parse(kOrderDependentSlice);
  ASSERT_TRUE(graph);
  LivenessOptions options;
  PeakModel model = PeakModel::build(*graph, options);
  EXPECT_FALSE(model.exact());
  for (ScheduleMethod method : {ScheduleMethod::Heuristic, ScheduleMethod::Auto}) {
    ScheduleOptions scheduleOptions;
    scheduleOptions.method = method;
    absl::StatusOr<Schedule> schedule = scheduleGraph(*graph, options, scheduleOptions);
    ASSERT_TRUE(schedule.ok());
    EXPECT_FALSE(schedule->modelExact);
    EXPECT_FALSE(schedule->provenOptimal);
    EXPECT_EQ(schedule->peak, livenessPeak(*graph, schedule->order, options));
    EXPECT_EQ(schedule->filePeak, livenessPeak(*graph, {0, 1, 2, 3, 4}, options));
    EXPECT_LE(schedule->peak, schedule->filePeak);
  }
  // Without slices nothing depends on the order that way.
  options.concatSlices = false;
  EXPECT_TRUE(PeakModel::build(*graph, options).exact());
}

TEST(SchedulerTest, RandomGraphsAreMeasuredAndNeverWorse) {
  std::mt19937 rng(11);
  int inexact = 0, better = 0;
  for (int g = 0; g < 40; ++g) {
    auto graph = parse(randomGraphText(15 + g % 26, rng));
    ASSERT_TRUE(graph);
    LivenessOptions options;
    PeakModel model = PeakModel::build(*graph, options);
    inexact += !model.exact();
    for (ScheduleMethod method : {ScheduleMethod::Heuristic, ScheduleMethod::Auto}) {
      ScheduleOptions scheduleOptions;
      scheduleOptions.method = method;
      absl::StatusOr<Schedule> schedule = scheduleGraph(*graph, options, scheduleOptions);
      ASSERT_TRUE(schedule.ok()) << schedule.status();
      ASSERT_TRUE(isTopological(model, schedule->order));
      EXPECT_EQ(schedule->peak, livenessPeak(*graph, schedule->order, options));
      EXPECT_LE(schedule->peak, schedule->filePeak);
      EXPECT_TRUE(model.exact() || !schedule->provenOptimal);
      better += method == ScheduleMethod::Heuristic && schedule->peak < schedule->filePeak;
    }
  }
  // The generator makes both kinds of model, and leaves room to improve.
  EXPECT_GT(inexact, 0);
  EXPECT_LT(inexact, 20);
  EXPECT_GT(better, 15);
}

TEST(SchedulerTest, ChainIsCutIntoPiecesOfOneNode) {
  auto graph = parse(kPadChain);
  ASSERT_TRUE(graph);
  absl::StatusOr<Schedule> schedule = scheduleGraph(*graph, {});
  ASSERT_TRUE(schedule.ok());
  EXPECT_EQ(schedule->pieces, 4u);
  EXPECT_EQ(schedule->piecesProven, 4u);
  EXPECT_EQ(schedule->states, 0);
  EXPECT_EQ(schedule->method, "file");
  EXPECT_EQ(schedule->peak, 96);
}

TEST(SchedulerTest, BudgetBoundsTheSearchAndResultsRepeat) {
  std::mt19937 rng(5);
  auto graph = parse(randomGraphText(30, rng));
  ASSERT_TRUE(graph);
  ScheduleOptions small;
  small.stateBudget = 50;
  absl::StatusOr<Schedule> first = scheduleGraph(*graph, {}, small);
  absl::StatusOr<Schedule> second = scheduleGraph(*graph, {}, small);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->order, second->order);
  EXPECT_EQ(first->lowerBound, second->lowerBound);
  // The budget is spread over pieces and rounds; each stops at its share,
  // overshooting by at most one expansion.
  EXPECT_LE(first->states, 50 + 64);
  absl::StatusOr<Schedule> full = scheduleGraph(*graph, {});
  ASSERT_TRUE(full.ok());
  EXPECT_LE(full->peak, first->peak);
  EXPECT_GE(full->lowerBound, first->lowerBound);
  EXPECT_LE(first->lowerBound, full->peak);
}

TEST(SchedulerTest, SharedModelsFilePeakIsTheLowerBound) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(TINYPLAN_SHARED_MODELS, ec), end;
       it != end && !ec; it.increment(ec)) {
    llvm::StringRef path = it->path();
    if (path.ends_with(".onnx") && !path.contains("onnx-node"))
      paths.push_back(path.str());
  }
  if (paths.empty())
    GTEST_SKIP() << "no shared models at " << TINYPLAN_SHARED_MODELS;
  std::sort(paths.begin(), paths.end());
  int planned = 0, proven = 0;
  for (const std::string &path : paths) {
    auto graph = importModelFile(path, {});
    if (!graph.ok())
      continue;
    ASSERT_TRUE(buildDefaultPipeline().run(**graph, {}).ok()) << path;
    LivenessOptions options;
    PeakModel model = PeakModel::build(**graph, options);
    EXPECT_TRUE(model.exact()) << path;
    std::vector<unsigned> fileOrder((*graph)->numNodes());
    std::iota(fileOrder.begin(), fileOrder.end(), 0u);
    int64_t filePeak = livenessPeak(**graph, fileOrder, options);
    EXPECT_EQ(model.peakOf(fileOrder), filePeak) << path;
    absl::StatusOr<Schedule> schedule = scheduleGraph(**graph, options);
    ASSERT_TRUE(schedule.ok()) << path << ": " << schedule.status();
    EXPECT_EQ(schedule->filePeak, filePeak) << path;
    EXPECT_EQ(schedule->peak, livenessPeak(**graph, schedule->order, options)) << path;
    EXPECT_LE(schedule->peak, filePeak) << path;
    ++planned;
    proven += schedule->provenOptimal;
  }
  EXPECT_GE(planned, 25);
  EXPECT_EQ(proven, planned);
}

} // namespace
} // namespace tinyplan
