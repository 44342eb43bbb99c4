//===- CEmitter.cpp - model.c and model.h from a planned graph ------------===//
//
// 1. Give every constant a node or graph output reads a weight array name.
// 2. Walk the schedule; for each node write a comment (node, op, shapes,
//    arena byte ranges) and let the kernel registry's implementation for
//    the node and the CPU emit the kernel call through a CEmitContext that
//    maps values to `(T *)(arena + offset)` or to their weight array, and
//    collects each kernel definition once.
// 3. Wrap the calls in NAME_run: copy inputs into the arena unless the caller
//    passed the arena's own input pointers, run, copy outputs out likewise.
// 4. Write the header (macros, prototypes), the weights and the source.
// Everything is ordered by ids and the schedule: identical input gives
// byte-identical output.
//
// The arena check (--check-arena), for host test builds. It proves at run
// time that no kernel reads a byte another wrote over:
// - after each node, a copy of every result is kept (malloc);
// - before each node, every arena operand must still equal its copy, so a
//   plan that lets a value be overwritten while it is live is caught at its
//   next reader, named;
// - each node first runs on private copies of its operands into private
//   results (the kernel emitted a second time with those pointers, sharing
//   nothing), then in the arena; the two results must be equal bit for bit,
//   so a kernel that overwrites an operand it has not finished reading (in
//   place, or writing over the input it reads) is caught at that node.
//
// The writers check (--check-writers), for host test builds compiled with
// clang -fsanitize=thread -mllvm -tsan-instrument-read-before-write=1 and
// linked with scripts/writers_check.c, which takes every load and store the
// instrumentation reports. Around each node
// the C declares the bytes of its operands and results, each with a tag:
// the runtime records which tag last wrote every arena byte and fails a
// read of a byte whose tag is not the operand's there. A view, a concat
// slice and its concat result share a tag (the same bytes by design); an
// in-place or overlapping result has its own, so a kernel reading an
// operand byte its result already overwrote is caught even when the bytes
// happen to be equal.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmitter.h"
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Support/CWriter.h"
#include "tinyplan/Support/Status.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include <cctype>
#include <map>
#include <set>

namespace tinyplan {

bool wideQconvWeights(QconvWeights mode, Cpu cpu, int64_t int8Bytes) {
  switch (mode) {
  case QconvWeights::Int8:
    return false;
  case QconvWeights::Int16:
    return true;
  case QconvWeights::Auto:
    break;
  }
  // Only the DSP extension's loop gains from them (2 instructions per 16
  // multiply-accumulates); a small layer's weights cost little flash, and
  // small weights are the large maps' (the most multiply-accumulates per
  // weight).
  bool withoutDsp =
      cpu == Cpu::CortexM0 || cpu == Cpu::CortexM0Plus || cpu == Cpu::CortexM3;
  return !withoutDsp && int8Bytes <= 4096;
}

namespace {

/// The arena check's run-time functions (see the file header). A copy per
/// value id, kept from its producer to the end of the run.
constexpr llvm::StringLiteral kArenaCheckFunctions = R"C(#include <stdio.h>
#include <stdlib.h>
#define TP_CHECK_VALUES 65536
static void *tp_check_copy[TP_CHECK_VALUES];
static inline void *tp_check_dup(const void *p, size_t n) {
  void *copy = malloc(n ? n : 1);
  if (!copy) {
    fprintf(stderr, "tinyplan arena check: out of memory\n");
    abort();
  }
  if (p)
    memcpy(copy, p, n);
  else
    memset(copy, 0x5a, n);
  return copy;
}
static inline void tp_check_save(unsigned id, const void *p, size_t n) {
  if (id >= TP_CHECK_VALUES)
    return;
  free(tp_check_copy[id]);
  tp_check_copy[id] = tp_check_dup(p, n);
}
static inline void tp_check_read(unsigned id, const void *p, size_t n, const char *node,
                          const char *value) {
  if (id < TP_CHECK_VALUES && tp_check_copy[id] && memcmp(p, tp_check_copy[id], n) != 0) {
    fprintf(stderr, "tinyplan arena check: '%s' reads '%s', which was overwritten after "
                    "it was written\n", node, value);
    abort();
  }
}
static inline void tp_check_same(const void *p, const void *reference, size_t n, const char *node,
                          const char *value) {
  if (memcmp(p, reference, n) != 0) {
    fprintf(stderr, "tinyplan arena check: '%s' writes '%s' differently in the arena than "
                    "on private copies of its operands\n", node, value);
    abort();
  }
}
)C";

} // namespace

std::string sanitizeCIdentifier(llvm::StringRef text) {
  std::string result;
  for (char c : text)
    result += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  if (result.empty() || std::isdigit(static_cast<unsigned char>(result[0])))
    result = "m_" + result;
  return result;
}

bool isCIdentifier(llvm::StringRef text) {
  return !text.empty() && sanitizeCIdentifier(text) == text;
}

namespace {

/// A comment-safe rendering of an ONNX name: no "*/" (it would end the
/// comment), no "/*" (-Wcomment), no trigraph (C99 replaces them in
/// comments too: "??/" at a line's end would splice the next line in, and
/// -Wtrigraphs fails -Werror), no line breaks or control characters.
std::string commentSafe(llvm::StringRef text) {
  std::string result;
  for (char c : text) {
    if (c == '\n' || c == '\r' || static_cast<unsigned char>(c) < 0x20)
      result += ' ';
    else if ((c == '/' || c == '*') && !result.empty() &&
             result.back() == (c == '/' ? '*' : '/'))
      result += absl::StrCat(" ", std::string(1, c));
    else if (llvm::StringRef("=/'()!<>-").contains(c) && llvm::StringRef(result).ends_with("??"))
      result += absl::StrCat(" ", std::string(1, c));
    else
      result += c;
  }
  // What follows the name (a quote, a parenthesis) must not end a trigraph.
  if (llvm::StringRef(result).ends_with("??"))
    result += ' ';
  return result;
}

std::string upper(llvm::StringRef text) { return text.upper(); }

class Emitter final : public CEmitContext {
public:
  Emitter(const GraphPlan &plan, const CEmitOptions &options)
      : plan_(plan), graph_(plan.liveness().graph()), options_(options),
        weightName_(graph_.numValues()), referenced_(graph_.numValues(), false) {}

  absl::StatusOr<CFiles> run();

  // CEmitContext.
  std::string pointer(const Value &value) override {
    if (value.isConstant()) {
      referenced_[value.id()] = true;
      return weightName_[value.id()];
    }
    for (const std::map<unsigned, std::string> *elsewhere : {&redirect_, &callerOwned_})
      if (auto it = elsewhere->find(value.id()); it != elsewhere->end())
        return absl::StrCat("((", cStorageType(value.type().dtype).str(), " *)", it->second,
                            ")");
    std::optional<int64_t> offset = plan_.valueOffset(value.id());
    assert(offset && "C output needs every value in the arena");
    return absl::StrCat("((", cStorageType(value.type().dtype).str(), " *)", address(*offset),
                        ")");
  }
  std::optional<int64_t> arenaOffset(const Value &value) const override {
    // A redirected value has bytes of its own, shared with nothing; a
    // caller-owned one is outside the arena.
    if (value.isConstant() || redirect_.count(value.id()) || callerOwned_.count(value.id()))
      return std::nullopt;
    return plan_.valueOffset(value.id());
  }
  void requireKernel(llvm::StringRef key, llvm::StringRef definition) override {
    if (kernelKeys_.insert(key.str()).second)
      kernels_.push_back(definition.str());
  }
  void emit(llvm::StringRef statement) override {
    llvm::SmallVector<llvm::StringRef, 8> lines;
    statement.split(lines, '\n');
    for (llvm::StringRef line : lines)
      body_ += absl::StrCat(line.empty() ? "" : "  ", line.str(), "\n");
  }
  int64_t opset() const override { return graph_.opsetVersion(); }
  /// Bytes of the plan's scratch buffer of \p node (0 without one).
  int64_t scratchBytes(const Node &node) const {
    for (const BufferInfo &buffer : plan_.liveness().buffers())
      if (buffer.scratchNode == int(node.id()))
        return buffer.rawSize;
    return 0;
  }
  /// `f32[1,8,16,16]`, with ` nhwc` when the tensor is stored channels-last.
  std::string typeAndLayout(const Value &value) const {
    return absl::StrCat(value.type().str(), channelsLast(value) ? " nhwc" : "");
  }
  std::string scratchPointer(const Node &node, llvm::StringRef type) override {
    const Liveness &liveness = plan_.liveness();
    for (unsigned b = 0; b < liveness.buffers().size(); ++b)
      if (liveness.buffer(b).scratchNode == int(node.id())) {
        std::optional<int64_t> offset = plan_.bufferOffset(b);
        assert(offset && "a scratch buffer is always in the arena");
        return absl::StrCat("((", type.str(), " *)", address(*offset), ")");
      }
    assert(false && "the plan has no scratch buffer for this node: "
                    "LivenessOptions::kernelScratch disagrees with the C emitter");
    return "((void *)0)";
  }
  bool channelsLast(const Value &value) const override {
    return options_.layouts.channelsLast(value);
  }
  bool channelsLast(const Node &node) const override {
    return options_.layouts.channelsLast(node);
  }
  bool fixedRequant() const override { return options_.requant == Requant::Fixed; }
  bool wideQconvWeights(int64_t int8Bytes) const override {
    return tinyplan::wideQconvWeights(options_.qconvWeights, options_.cpu, int8Bytes);
  }
  std::string constantTable(llvm::StringRef key, llvm::StringRef baseName,
                            const Tensor &source, llvm::ArrayRef<int64_t> gather) override {
    auto found = tableByKey_.find(key.str());
    if (found != tableByKey_.end())
      return tables_[found->second].name;
    ConstantTable table;
    table.name = absl::StrCat(options_.name, "_", sanitizeCIdentifier(baseName), "_",
                              tables_.size());
    table.type = cStorageType(source.dtype()).str();
    table.count = int64_t(gather.size());
    table.bytes = table.count * dtypeSize(source.dtype());
    if (options_.weightsBlob) {
      int64_t size = dtypeSize(source.dtype());
      llvm::ArrayRef<uint8_t> raw = source.rawBytes();
      table.raw.assign(size_t(table.bytes), 0);
      for (int64_t i = 0; i < table.count; ++i)
        if (gather[i] >= 0) {
          int64_t at = source.isSplat() ? 0 : gather[i];
          std::copy_n(raw.begin() + at * size, size, table.raw.begin() + i * size);
        }
    } else if (options_.defineWeights) {
      bool isFloat = source.dtype() == DType::F32 || source.dtype() == DType::F64;
      std::string zero = isFloat ? cFloatLiteral(0, source.dtype()) : "0";
      constexpr int kPerLine = 8;
      for (int64_t i = 0; i < table.count; ++i) {
        table.values += i % kPerLine == 0 ? "\n  " : " ";
        table.values += gather[i] < 0 ? zero : cElementLiteral(source, gather[i]);
        if (i + 1 < table.count)
          table.values += ",";
      }
    }
    tableByKey_.emplace(key.str(), tables_.size());
    tables_.push_back(std::move(table));
    return tables_.back().name;
  }

private:
  std::string bytesRange(const Value &value) const {
    if (value.isConstant())
      return absl::StrCat("@", commentSafe(value.name()));
    std::optional<int64_t> offset = plan_.valueOffset(value.id());
    return absl::StrCat("[", *offset, ", ", *offset + value.type().numBytes(), ")");
  }
  void nameWeights();
  absl::Status keepReferencedWeights();
  std::string weightDefinitions(bool external) const;
  /// Fills \p blob (CFiles::blob) and returns the macros that point each
  /// weight name into it.
  std::string weightsBlob(std::string &blob) const;
  std::string runSignature(llvm::StringRef arenaParam) const;
  std::string header() const;
  std::string ioType(const Value &value) const {
    return cStorageType(value.type().dtype).str();
  }
  std::string arenaExpr() const {
    return options_.arena == ArenaMode::Static
               ? absl::StrCat(options_.name, "_arena_.bytes")
               : "(uint8_t *)arena_";
  }
  /// The byte at arena offset \p offset: `arena + offset`, or with memory
  /// regions, `arena_REGION + offset in the region`.
  std::string address(int64_t offset) const {
    std::string base = "arena";
    if (const RegionUse *region = plan_.regionAt(offset)) {
      base = absl::StrCat("arena_", region->region.name);
      offset -= region->base;
    }
    return offset == 0 ? base : absl::StrCat("(", base, " + ", offset, ")");
  }
  /// The run function's and accessors' arena parameters (--arena=user):
  /// `void *arena_`, or one `void *arena_REGION_` per region.
  std::string arenaParams(llvm::StringRef suffix) const {
    if (plan_.regions().empty())
      return absl::StrCat("void *arena", suffix.str());
    std::vector<std::string> params;
    for (const RegionUse &use : plan_.regions())
      params.push_back(absl::StrCat("void *arena_", use.region.name, suffix.str()));
    return absl::StrJoin(params, ", ");
  }
  /// The statements that set the local arena pointers `address` uses.
  std::string arenaLocals() const {
    std::string out;
    if (plan_.regions().empty()) {
      absl::StrAppend(&out, "  uint8_t *const arena = ",
                      options_.arena == ArenaMode::Static ? arenaExpr() : "(uint8_t *)arena_",
                      ";\n");
      return out;
    }
    for (const RegionUse &use : plan_.regions()) {
      const std::string &r = use.region.name;
      absl::StrAppend(&out, "  uint8_t *const arena_", r, " = ",
                      options_.arena == ArenaMode::Static
                          ? absl::StrCat(options_.name, "_arena_", r, "_.bytes")
                          : absl::StrCat("(uint8_t *)arena_", r, "_"),
                      ";\n");
    }
    return out;
  }
  /// `(void)arena;` for each local arena pointer.
  std::string arenaLocalsUnused() const {
    if (plan_.regions().empty())
      return "  (void)arena;\n";
    std::string out;
    for (const RegionUse &use : plan_.regions())
      absl::StrAppend(&out, "  (void)arena_", use.region.name, ";\n");
    return out;
  }

  const GraphPlan &plan_;
  const Graph &graph_;
  const CEmitOptions &options_;
  std::vector<std::string> weightName_;
  /// Constants some kernel call or output copy refers to: only those get an
  /// array (a Reshape's shape operand does not).
  std::vector<bool> referenced_;
  /// Constants in id order that may get an array, and those that do.
  std::vector<const Value *> candidates_;
  std::vector<const Value *> weights_;
  int64_t weightsBytes_ = 0;
  /// Bytes of the weights blob, padding included (weightsBlob only).
  int64_t blobBytes_ = 0;
  /// The names of the kernel implementations the nodes use, in order of
  /// first use, for the banner.
  std::vector<std::string> implementations_;
  /// Derived constant tables (constantTable), in order of creation.
  struct ConstantTable {
    std::string name, type, values;
    int64_t count = 0, bytes = 0;
    /// The elements' bytes, for a weights blob.
    std::vector<uint8_t> raw;
  };
  std::vector<ConstantTable> tables_;
  /// Values whose pointer is another expression while a node is emitted a
  /// second time for the arena check.
  std::map<unsigned, std::string> redirect_;
  /// With --io-outside-arena: each value in a caller-owned buffer, as an
  /// expression on the run's input or output pointer.
  std::map<unsigned, std::string> callerOwned_;

  /// The writers check's tag of each value id (tagWriters), and of each
  /// node's scratch: numValues + 1 + node id. 0 is "never written".
  std::vector<unsigned> writerTag_;
  void tagWriters() {
    const Liveness &liveness = plan_.liveness();
    std::vector<unsigned> parent(graph_.numValues());
    for (unsigned id = 0; id < parent.size(); ++id)
      parent[id] = id;
    auto find = [&](unsigned id) {
      while (parent[id] != id)
        id = parent[id] = parent[parent[id]];
      return id;
    };
    auto unite = [&](unsigned a, unsigned b) { parent[find(a)] = find(b); };
    for (unsigned id = 0; id < parent.size(); ++id) {
      const ValueInfo &info = liveness.value(id);
      if (!info.hasBuffer)
        continue;
      if (info.placement == Placement::View && info.related >= 0)
        unite(id, unsigned(info.related));
      if (info.sliceOf >= 0)
        unite(id, unsigned(info.sliceOf));
    }
    writerTag_.resize(parent.size());
    for (unsigned id = 0; id < parent.size(); ++id)
      writerTag_[id] = find(id) + 1;
  }
  /// The writers check's declaration of \p value's bytes as \p kind
  /// ("operand", "result", "input"); nothing for bytes outside the arena.
  std::string writersDeclaration(llvm::StringRef kind, const Value &value) {
    if (!arenaOffset(value) || value.type().numBytes() == 0)
      return "";
    return absl::StrCat("tp_writers_", kind.str(), "(", writerTag_[value.id()], "u, ",
                        cStringLiteral(value.name()), ", ", pointer(value), ", ",
                        value.type().numBytes(), ");\n");
  }
  /// The statements that open \p node's window of the writers check.
  std::string writersOpen(const Node &node) {
    std::string out = absl::StrCat("tp_writers_node(", cStringLiteral(node.name()), ");\n");
    std::vector<const Value *> seen;
    for (const Value *operand : node.operands())
      if (operand && !llvm::is_contained(seen, operand)) {
        seen.push_back(operand);
        out += writersDeclaration("operand", *operand);
      }
    for (const Value *result : node.results())
      out += writersDeclaration("result", *result);
    if (int64_t bytes = scratchBytes(node))
      absl::StrAppend(&out, "tp_writers_result(", graph_.numValues() + 1 + node.id(),
                      "u, \"scratch\", ", scratchPointer(node, "uint8_t"), ", ", bytes,
                      ");\n");
    return out;
  }

  /// The arena check's statement keeping a copy of \p value's bytes.
  std::string checkSave(const Value &value) {
    return absl::StrCat("tp_check_save(", value.id(), ", ", pointer(value), ", ",
                        value.type().numBytes(), ");");
  }

  /// \p node's kernel with the arena check around it (see the file header).
  /// The plan may put a result over a dying operand only as far as the
  /// kernel's loop order allows (KernelImpl::overlap).
  absl::Status checkOverlap(const Node &node, const KernelImpl &kernel) const {
    for (const Value *result : node.results()) {
      const ValueInfo &info = plan_.liveness().value(result->id());
      if (info.overlaps < 0)
        continue;
      std::optional<int64_t> at = plan_.valueOffset(result->id());
      std::optional<int64_t> operandAt = plan_.valueOffset(unsigned(info.overlaps));
      std::optional<KernelOverlap> allowed =
          kernel.overlap ? kernel.overlap(node, options_.layouts) : std::nullopt;
      if (!at || !operandAt || !allowed || result != node.result(0) ||
          allowed->operand >= node.numOperands() ||
          node.operand(allowed->operand)->id() != unsigned(info.overlaps) ||
          (*at + info.bytes > *operandAt &&
           *at < *operandAt + plan_.liveness().value(unsigned(info.overlaps)).bytes &&
           (allowed->exact ? *at + allowed->distance != *operandAt
                           : *at + allowed->distance > *operandAt)))
        return absl::InternalError(absl::StrCat(
            node.diagPrefix(), "the plan overlaps its result with an operand closer than the ",
            kernel.name, " kernel allows (LivenessOptions::kernelOverlap must come from "
            "kernelOverlaps)"));
    }
    return absl::OkStatus();
  }

  absl::Status emitChecked(const Node &node, const KernelImpl &kernel) {
    std::string name = cStringLiteral(node.name());
    std::vector<const Value *> operands, results;
    for (const Value *operand : node.operands())
      if (operand && !operand->isConstant() && !llvm::is_contained(operands, operand))
        operands.push_back(operand);
    for (const Value *result : node.results())
      results.push_back(result);
    for (const Value *operand : operands)
      emit(absl::StrCat("tp_check_read(", operand->id(), ", ", pointer(*operand), ", ",
                        operand->type().numBytes(), ", ", name, ", ",
                        cStringLiteral(operand->name()), ");"));
    // The reference run, on private bytes.
    emit("{");
    for (size_t i = 0; i < operands.size(); ++i) {
      emit(absl::StrCat("  void *tp_in", i, " = tp_check_dup(", pointer(*operands[i]), ", ",
                        operands[i]->type().numBytes(), ");"));
    }
    for (size_t i = 0; i < results.size(); ++i)
      emit(absl::StrCat("  void *tp_out", i, " = tp_check_dup(0, ",
                        results[i]->type().numBytes(), ");"));
    for (size_t i = 0; i < operands.size(); ++i)
      redirect_[operands[i]->id()] = absl::StrCat("tp_in", i);
    for (size_t i = 0; i < results.size(); ++i)
      redirect_[results[i]->id()] = absl::StrCat("tp_out", i);
    emit("{");
    absl::Status status = kernel.emit(node, *this);
    redirect_.clear();
    TP_RETURN_IF_ERROR(status);
    emit("}");
    // The run in the arena, then the comparison.
    if (options_.checkWriters)
      emit(writersOpen(node));
    emit("{");
    TP_RETURN_IF_ERROR(kernel.emit(node, *this));
    emit("}");
    if (options_.checkWriters)
      emit("tp_writers_done();");
    for (size_t i = 0; i < results.size(); ++i)
      emit(absl::StrCat("tp_check_same(", pointer(*results[i]), ", tp_out", i, ", ",
                        results[i]->type().numBytes(), ", ", name, ", ",
                        cStringLiteral(results[i]->name()), ");"));
    for (size_t i = 0; i < operands.size(); ++i)
      emit(absl::StrCat("free(tp_in", i, ");"));
    for (size_t i = 0; i < results.size(); ++i)
      emit(absl::StrCat("free(tp_out", i, ");"));
    emit("}");
    for (const Value *result : results)
      emit(checkSave(*result));
    return absl::OkStatus();
  }
  std::map<std::string, size_t> tableByKey_;
  std::set<std::string> kernelKeys_;
  std::vector<std::string> kernels_;
  std::string body_;
};

void Emitter::nameWeights() {
  std::vector<bool> used(graph_.numValues(), false);
  for (const auto &node : graph_.nodes())
    for (const Value *operand : node->operands())
      if (operand && operand->isConstant())
        used[operand->id()] = true;
  for (const Value *output : graph_.outputs())
    if (output->isConstant())
      used[output->id()] = true;
  for (const auto &value : graph_.values()) {
    if (!used[value->id()])
      continue;
    weightName_[value->id()] =
        absl::StrCat(options_.name, "_weight_", candidates_.size());
    candidates_.push_back(value.get());
  }
}

/// C compilers hold a whole initializer in memory many times over; past this
/// the build of model.c runs out of memory on a typical host (and no
/// microcontroller has that much flash).
constexpr int64_t kMaxWeightsBytes = int64_t(256) << 20;

absl::Status Emitter::keepReferencedWeights() {
  for (const Value *value : candidates_)
    if (referenced_[value->id()]) {
      weights_.push_back(value);
      weightsBytes_ += value->type().numBytes();
    }
  for (const ConstantTable &table : tables_)
    weightsBytes_ += table.bytes;
  if (options_.weightsBlob) {
    // Each array also gets up to kWeightsBlobAlign - 1 bytes of padding.
    int64_t padded = weightsBytes_ + int64_t(weights_.size() + tables_.size()) * kWeightsBlobAlign;
    if (padded > kMaxWeightsBlobBytes)
      return modelError("the weights take ", weightsBytes_, " bytes, up to ", padded,
                        " with the padding that aligns each array; a weights blob holds at "
                        "most ", kMaxWeightsBlobBytes);
  } else if (options_.defineWeights && weightsBytes_ > kMaxWeightsBytes) {
    return modelError("the weights take ", weightsBytes_,
                      " bytes; more than 256 MiB of weights is not supported in C arrays "
                      "(--weights-blob writes them to a binary file)");
  }
  return absl::OkStatus();
}

std::string Emitter::weightDefinitions(bool external) const {
  std::string out;
  for (const Value *value : weights_) {
    const Tensor &tensor = *value->constant();
    int64_t count = tensor.numElements();
    std::string type = cStorageType(tensor.dtype()).str();
    absl::StrAppend(&out, "/* ", commentSafe(value->name()), ": ", value->type().str(),
                    tensor.isSplat() ? ", every element the same" : "", " */\n",
                    external ? "" : "static ", "const ", type, " ",
                    weightName_[value->id()], "[", std::max<int64_t>(count, 1), "] = {");
    if (count == 0) {
      out += "0";
    } else {
      constexpr int kPerLine = 8;
      for (int64_t i = 0; i < count; ++i) {
        out += i % kPerLine == 0 ? "\n  " : " ";
        out += cElementLiteral(tensor, i);
        if (i + 1 < count)
          out += ",";
      }
    }
    out += "\n};\n\n";
  }
  for (const ConstantTable &table : tables_)
    absl::StrAppend(&out, "/* Derived from the weights at compile time. */\n",
                    external ? "" : "static ", "const ", table.type, " ", table.name, "[",
                    std::max<int64_t>(table.count, 1), "] = {",
                    table.count ? table.values : "0", "\n};\n\n");
  return out;
}

std::string Emitter::weightsBlob(std::string &blob) const {
  const std::string &n = options_.name;
  std::string P = upper(n);
  std::string out = absl::StrCat(
      "/* The weights are in a binary blob of ", P, "_WEIGHTS_BLOB_SIZE bytes, ", n,
      "_weights,\n   aligned to ", kWeightsBlobAlign, ": define ", P,
      "_WEIGHTS_ADDRESS as the address it is mapped at,\n   or link a definition of ", n,
      "_weights (docs/cmake.md). */\n#ifdef ", P,
      "_WEIGHTS_ADDRESS\n#define ", n, "_weights ((const uint8_t *)(", P,
      "_WEIGHTS_ADDRESS))\n#else\nextern const uint8_t ", n, "_weights[];\n#endif\n");
  auto place = [&](const std::string &name, llvm::StringRef type, llvm::StringRef comment,
                   llvm::ArrayRef<uint8_t> element, int64_t count, bool splat) {
    blob.resize(size_t((int64_t(blob.size()) + kWeightsBlobAlign - 1) / kWeightsBlobAlign *
                       kWeightsBlobAlign),
                '\0');
    absl::StrAppend(&out, "/* ", comment.str(), " */\n#define ", name, " ((const ", type.str(),
                    " *)(", n, "_weights + ", blob.size(), "))\n");
    if (!splat) {
      blob.append(element.begin(), element.end());
      return;
    }
    for (int64_t i = 0; i < count; ++i)
      blob.append(element.begin(), element.end());
  };
  for (const Value *value : weights_) {
    const Tensor &tensor = *value->constant();
    place(weightName_[value->id()], cStorageType(tensor.dtype()),
          absl::StrCat(commentSafe(value->name()), ": ", value->type().str()),
          tensor.rawBytes(), tensor.numElements(), tensor.isSplat());
  }
  for (const ConstantTable &table : tables_)
    place(table.name, table.type, "Derived from the weights at compile time.", table.raw,
          table.count, false);
  return out + "\n";
}

std::string Emitter::runSignature(llvm::StringRef arenaParam) const {
  std::vector<std::string> params;
  if (options_.arena == ArenaMode::User)
    params.push_back(arenaParams(arenaParam));
  for (size_t i = 0; i < graph_.inputs().size(); ++i)
    params.push_back(absl::StrCat("const ", ioType(*graph_.inputs()[i]), " *input", i));
  for (size_t i = 0; i < graph_.outputs().size(); ++i)
    params.push_back(absl::StrCat(ioType(*graph_.outputs()[i]), " *output", i));
  if (params.empty())
    params.push_back("void");
  return absl::StrCat("int ", options_.name, "_run(", absl::StrJoin(params, ", "), ")");
}

std::string Emitter::header() const {
  std::string P = upper(options_.name);
  const std::string &n = options_.name;
  std::string out;
  absl::StrAppend(&out, "/* ", n, ".h: generated by tinyplan",
                  options_.sourceName.empty() ? "" : " from ",
                  commentSafe(options_.sourceName), ". Do not edit. */\n");
  absl::StrAppend(&out, "#ifndef ", P, "_MODEL_H\n#define ", P, "_MODEL_H\n\n");
  out += "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  absl::StrAppend(&out, "/* Bytes of the feature-map arena",
                  options_.arena == ArenaMode::User
                      ? ", which the caller passes, aligned to " + P + "_ARENA_ALIGN"
                      : "",
                  ". */\n");
  absl::StrAppend(&out, "#define ", P, "_ARENA_SIZE ", plan_.arenaBytes(), "\n");
  if (!plan_.regions().empty()) {
    out += "/* Its parts, one per memory region, each in section .REGION_arena";
    out += options_.arena == ArenaMode::User ? " or passed\n   by the caller. */\n" : ". */\n";
    for (const RegionUse &use : plan_.regions())
      absl::StrAppend(&out, "#define ", P, "_ARENA_", upper(use.region.name), "_SIZE ",
                      use.used, "\n");
  }
  absl::StrAppend(&out, "#define ", P, "_ARENA_ALIGN ", plan_.liveness().options().align,
                  "\n");
  absl::StrAppend(&out, "/* Bytes of constant weights. */\n#define ", P, "_WEIGHTS_SIZE ",
                  weightsBytes_, "\n");
  if (options_.weightsBlob)
    absl::StrAppend(&out, "/* Bytes of the weights blob (", P,
                    "_WEIGHTS_SIZE and the padding that aligns each array), and the\n"
                    "   alignment it needs. */\n#define ", P, "_WEIGHTS_BLOB_SIZE ",
                    blobBytes_, "\n#define ", P, "_WEIGHTS_BLOB_ALIGN ", kWeightsBlobAlign,
                    "\n");
  absl::StrAppend(&out, "#define ", P, "_NUM_INPUTS ", graph_.inputs().size(), "\n");
  absl::StrAppend(&out, "#define ", P, "_NUM_OUTPUTS ", graph_.outputs().size(), "\n");
  // A channels-last input or output (--io-layout=nhwc) has the shape it
  // has in memory, N, H, W, C.
  auto describe = [&](const char *kind, size_t i, const Value &value) {
    const TensorType &type = value.type();
    bool last = channelsLast(value);
    std::string M = absl::StrCat(P, "_", kind, "_", i);
    absl::StrAppend(&out, "\n/* ", llvm::StringRef(kind).lower(), " ", i, ": '",
                    commentSafe(value.name()), "' ", type.str(),
                    last ? ", channels-last: N, H, W, C in memory" : "", " */\n");
    absl::StrAppend(&out, "#define ", M, "_SIZE ", type.numElements(), "\n");
    absl::StrAppend(&out, "#define ", M, "_RANK ", type.rank(), "\n");
    absl::StrAppend(&out, "#define ", M, "_SHAPE {",
                    type.rank() == 0 ? "1" : cIntList(memoryShape(type.shape, last)), "}\n");
    absl::StrAppend(&out, "#define ", M, "_DTYPE \"", dtypeName(type.dtype).str(), "\"\n");
    auto quantization = options_.ioQuantization.find(value.name());
    if (quantization != options_.ioQuantization.end())
      absl::StrAppend(&out, "/* Quantized (--quantized-io): real = (q - ", M,
                      "_ZERO_POINT) * ", M, "_SCALE. */\n#define ", M, "_SCALE ",
                      cFloatLiteral(quantization->second.first, DType::F32), "\n#define ", M,
                      "_ZERO_POINT ", quantization->second.second, "\n");
  };
  for (size_t i = 0; i < graph_.inputs().size(); ++i)
    describe("INPUT", i, *graph_.inputs()[i]);
  for (size_t i = 0; i < graph_.outputs().size(); ++i)
    describe("OUTPUT", i, *graph_.outputs()[i]);

  out += "\n/* Runs the model: inputs, then outputs, in graph order. Returns 0.\n"
         "   Passing the pointers the accessors below return skips the copies. */\n";
  absl::StrAppend(&out, runSignature(""), ";\n\n");
  std::string arenaParam = options_.arena == ArenaMode::User ? arenaParams("") : "void";
  out += "/* The inputs' and outputs' places in the arena (valid until the next run;\n"
         "   an output that is a constant, or one the caller owns, has none: null). */\n";
  for (size_t i = 0; i < graph_.inputs().size(); ++i)
    absl::StrAppend(&out, ioType(*graph_.inputs()[i]), " *", n, "_input_", i, "(",
                    arenaParam, ");\n");
  for (size_t i = 0; i < graph_.outputs().size(); ++i)
    absl::StrAppend(&out, ioType(*graph_.outputs()[i]), " *", n, "_output_", i, "(",
                    arenaParam, ");\n");
  absl::StrAppend(&out, "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* ", P, "_MODEL_H */\n");
  return out;
}

absl::StatusOr<CFiles> Emitter::run() {
  const Liveness &liveness = plan_.liveness();
  if (plan_.arena() > kMaxArenaBytes)
    return modelError("the arena takes ", plan_.arena(), " bytes; the generated C addresses at most ",
                      kMaxArenaBytes, " (2 GiB - 1: its offsets are 32-bit on a microcontroller)");
  nameWeights();
  // Caller-owned inputs and outputs (--io-outside-arena) are read and
  // written where the caller's pointers point, with every value that
  // shares their buffer (a view of an input, an output written in slices).
  auto ownedBy = [&](const Value &io, const std::string &param) {
    if (io.isConstant() || plan_.valueOffset(io.id()))
      return;
    const ValueInfo &root = liveness.value(io.id());
    for (unsigned id : liveness.buffer(root.buffer).values) {
      int64_t delta = liveness.value(id).offset - root.offset;
      callerOwned_[id] = delta ? absl::StrCat("((uint8_t *)", param, " + ", delta, ")") : param;
    }
  };
  for (size_t i = 0; i < graph_.inputs().size(); ++i)
    ownedBy(*graph_.inputs()[i], absl::StrCat("input", i));
  for (size_t i = 0; i < graph_.outputs().size(); ++i)
    ownedBy(*graph_.outputs()[i], absl::StrCat("output", i));

  if (options_.checkWriters) {
    tagWriters();
    if (plan_.regions().empty())
      emit(absl::StrCat("tp_writers_region(arena, ", plan_.arena(), ");"));
    for (const RegionUse &use : plan_.regions())
      emit(absl::StrCat("tp_writers_region(arena_", use.region.name, ", ", use.used, ");"));
  }
  // Inputs into the arena.
  for (size_t i = 0; i < graph_.inputs().size(); ++i) {
    const Value &input = *graph_.inputs()[i];
    int64_t bytes = input.type().numBytes();
    if (bytes == 0 || callerOwned_.count(input.id()))
      continue;
    std::string dst = pointer(input);
    emit(absl::StrCat("if (input", i, " != ", dst, ")\n  memcpy(", dst, ", input", i, ", ",
                      bytes, ");"));
  }
  if (options_.checkArena) {
    requireKernel("tp_check", kArenaCheckFunctions);
    for (const Value *input : graph_.inputs())
      emit(checkSave(*input));
  }
  if (options_.checkWriters)
    for (const Value *input : graph_.inputs())
      emit(writersDeclaration("input", *input));

  for (unsigned nodeId : liveness.schedule()) {
    const Node &node = *graph_.node(nodeId);
    if (!lookupOp(node))
      return modelError(node.diagPrefix(), "unsupported operator");
    std::vector<std::string> ins, outs, reads, writes;
    for (const Value *operand : node.operands()) {
      if (!operand) {
        ins.push_back("-");
        continue;
      }
      ins.push_back(typeAndLayout(*operand));
      reads.push_back(bytesRange(*operand));
    }
    for (const Value *result : node.results()) {
      outs.push_back(typeAndLayout(*result));
      writes.push_back(bytesRange(*result));
    }
    body_ += absl::StrCat("\n  /* ", commentSafe(node.name()), ": ",
                          commentSafe(node.opType()), " ", absl::StrJoin(ins, ", "),
                          " -> ", absl::StrJoin(outs, ", "), "\n     reads ",
                          absl::StrJoin(reads, " "), "; writes ",
                          absl::StrJoin(writes, " "), " */\n");
    const KernelImpl *kernel = chooseKernel(node, options_);
    if (kernel && kernel->scratchBytes)
      if (int64_t needed = kernel->scratchBytes(node); needed > scratchBytes(node))
        return absl::InternalError(absl::StrCat(
            node.diagPrefix(), "the ", kernel->name, " kernel needs ", needed,
            " bytes of scratch, the plan has ", scratchBytes(node),
            " (LivenessOptions::kernelScratch must come from kernelScratchBytes)"));
    if (!kernel)
      return withContext(
          modelError("no C kernel for ", node.opType(), " (not supported by the C emitter)"),
          node.diagPrefix());
    TP_RETURN_IF_ERROR(checkOverlap(node, *kernel));
    if (options_.checkArena) {
      TP_RETURN_IF_ERROR(withContext(emitChecked(node, *kernel), node.diagPrefix()));
    } else {
      if (options_.checkWriters)
        emit(writersOpen(node));
      TP_RETURN_IF_ERROR(withContext(kernel->emit(node, *this), node.diagPrefix()));
      if (options_.checkWriters)
        emit("tp_writers_done();");
    }
    if (!llvm::is_contained(implementations_, kernel->name))
      implementations_.push_back(kernel->name);
  }

  // Outputs out of the arena (or out of flash, for a constant).
  body_ += "\n";
  if (options_.checkWriters) {
    emit("tp_writers_node(\"(graph outputs)\");");
    for (const Value *output : graph_.outputs())
      if (!output->isConstant())
        emit(writersDeclaration("operand", *output));
    emit("tp_writers_done();");
  }
  for (size_t i = 0; i < graph_.outputs().size(); ++i) {
    const Value &output = *graph_.outputs()[i];
    int64_t bytes = output.type().numBytes();
    if (bytes == 0 || callerOwned_.count(output.id()))
      continue;
    std::string src = pointer(output);
    if (output.isConstant())
      emit(absl::StrCat("memcpy(output", i, ", ", src, ", ", bytes, ");"));
    else
      emit(absl::StrCat("if (output", i, " != ", src, ")\n  memcpy(output", i, ", ", src,
                        ", ", bytes, ");"));
  }

  TP_RETURN_IF_ERROR(keepReferencedWeights());
  CFiles files;
  std::string blobMacros;
  if (options_.weightsBlob) {
    blobMacros = weightsBlob(files.blob);
    blobBytes_ = int64_t(files.blob.size());
  }
  files.header = header();

  const std::string &n = options_.name;
  std::string P = upper(n);
  std::string &out = files.source;
  absl::StrAppend(&out, "/* ", n, ".c: generated by tinyplan",
                  options_.sourceName.empty() ? "" : " from ",
                  commentSafe(options_.sourceName),
                  ". Do not edit.\n   Kernels for ", cpuName(options_.cpu).str(), ": ",
                  implementations_.empty() ? "none" : absl::StrJoin(implementations_, ", "),
                  ".\n   C99; the only writable state is the arena. */\n");
  absl::StrAppend(&out, "#include \"", options_.headerInclude, "\"\n\n");
  out += "#include <math.h>\n#include <stdint.h>\n#include <string.h>\n\n";
  // Clang, unlike GCC, warns about a static inline function left unused;
  // some helpers serve only cores with the DSP extension.
  out += "#if defined(__clang__)\n#pragma clang diagnostic ignored \"-Wunused-function\"\n"
         "#endif\n\n";
  if (options_.checkWriters)
    out += "/* The writers check (--check-writers): scripts/writers_check.c. */\n"
           "void tp_writers_region(const void *base, long bytes);\n"
           "void tp_writers_input(unsigned tag, const char *value, const void *at, long bytes);\n"
           "void tp_writers_node(const char *node);\n"
           "void tp_writers_operand(unsigned tag, const char *value, const void *at, long bytes);\n"
           "void tp_writers_result(unsigned tag, const char *value, const void *at, long bytes);\n"
           "void tp_writers_done(void);\n\n";
  if (options_.arena == ArenaMode::Static) {
    absl::StrAppend(&out, "#if defined(__GNUC__)\n#define ", P,
                    "_ARENA_ALIGNED_ __attribute__((aligned(", P,
                    "_ARENA_ALIGN)))\n#else\n#define ", P, "_ARENA_ALIGNED_\n#endif\n");
    if (plan_.regions().empty()) {
      absl::StrAppend(&out, "/* The feature-map arena: every input, output and intermediate "
                            "tensor. */\nstatic union {\n  uint8_t bytes[",
                      std::max<int64_t>(plan_.arena(), 1),
                      "];\n  double align_;\n  int64_t align64_;\n} ", n, "_arena_ ", P,
                      "_ARENA_ALIGNED_;\n\n");
    } else {
      // One array per memory region, each in a section of its own that the
      // linker script places in the region (docs/cmake.md).
      absl::StrAppend(&out, "#if defined(__GNUC__)\n#define ", P,
                      "_IN_SECTION_(name) __attribute__((section(name)))\n#else\n#define ", P,
                      "_IN_SECTION_(name)\n#endif\n");
      for (const RegionUse &use : plan_.regions())
        absl::StrAppend(&out, "/* The feature-map arena's part in memory region '",
                        use.region.name, "' (section .", use.region.name, "_arena). */\n",
                        "static union {\n  uint8_t bytes[", std::max<int64_t>(use.used, 1),
                        "];\n  double align_;\n  int64_t align64_;\n} ", n, "_arena_",
                        use.region.name, "_ ", P, "_ARENA_ALIGNED_ ", P, "_IN_SECTION_(\".",
                        use.region.name, "_arena\");\n");
      out += "\n";
    }
  }
  if (options_.weightsBlob) {
    out += blobMacros;
  } else if (options_.separateWeights || !options_.defineWeights) {
    out += "/* Weights, defined in their own translation unit. */\n";
    for (const Value *value : weights_)
      absl::StrAppend(&out, "extern const ",
                      cStorageType(value->type().dtype).str(), " ",
                      weightName_[value->id()], "[",
                      std::max<int64_t>(value->type().numElements(), 1), "];\n");
    for (const ConstantTable &table : tables_)
      absl::StrAppend(&out, "extern const ", table.type, " ", table.name, "[",
                      std::max<int64_t>(table.count, 1), "];\n");
    out += "\n";
  }
  if (options_.weightsBlob) {
    // The blob holds them.
  } else if (options_.separateWeights && options_.defineWeights) {
    absl::StrAppend(&files.weights, "/* Weights of ", n,
                    ": generated by tinyplan. Do not edit. */\n#include \"",
                    options_.headerInclude,
                    "\"\n\n#include <math.h>\n#include <stdint.h>\n\n");
    absl::StrAppend(&files.weights, weightDefinitions(/*external=*/true));
  } else if (options_.defineWeights) {
    out += weightDefinitions(/*external=*/false);
  }
  for (const std::string &kernel : kernels_)
    absl::StrAppend(&out, kernel, "\n");

  absl::StrAppend(&out, runSignature("_"), " {\n", arenaLocals());
  out += arenaLocalsUnused();
  for (size_t i = 0; i < graph_.inputs().size(); ++i)
    absl::StrAppend(&out, "  (void)input", i, ";\n");
  for (size_t i = 0; i < graph_.outputs().size(); ++i)
    absl::StrAppend(&out, "  (void)output", i, ";\n");
  out += body_;
  out += "  return 0;\n}\n\n";
  files.kernels = kernels_;
  files.runBody = body_;
  files.weightsBytes = weightsBytes_;

  std::string arenaParam = options_.arena == ArenaMode::User ? arenaParams("_") : "void";
  std::string arenaInit =
      arenaLocals() + (plan_.regions().size() > 1 ? arenaLocalsUnused() : "");
  auto accessor = [&](const char *kind, size_t i, const Value &value) {
    absl::StrAppend(&out, ioType(value), " *", n, "_", kind, "_", i, "(", arenaParam,
                    ") {\n");
    if (value.isConstant() || callerOwned_.count(value.id())) {
      if (options_.arena == ArenaMode::User)
        for (llvm::StringRef param : llvm::split(arenaParams("_"), ", "))
          absl::StrAppend(&out, "  (void)", param.drop_front(strlen("void *")).str(), ";\n");
      out += "  return 0;\n}\n";
      return;
    }
    absl::StrAppend(&out, arenaInit, "  return ", pointer(value), ";\n}\n");
  };
  for (size_t i = 0; i < graph_.inputs().size(); ++i)
    accessor("input", i, *graph_.inputs()[i]);
  for (size_t i = 0; i < graph_.outputs().size(); ++i)
    accessor("output", i, *graph_.outputs()[i]);
  return files;
}

} // namespace

absl::StatusOr<CFiles> emitCFiles(const GraphPlan &plan, const CEmitOptions &options) {
  Emitter emitter(plan, options);
  return emitter.run();
}

} // namespace tinyplan
