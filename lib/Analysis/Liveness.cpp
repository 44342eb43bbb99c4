//===- Liveness.cpp - Buffers and lifetimes over a schedule ---------------===//
//
// 1. Check the schedule: a permutation of the node ids in which every
//    operand is produced before it is read.
// 2. Give every non-constant value its inclusive [first, last] steps: graph
//    inputs from step 0, results from their node's step; to their last
//    reader, and graph outputs to the last step.
// 3. Create one buffer per graph input, then walk the schedule. For each
//    result, in order of preference: a view shares its operand's buffer; an
//    in-place result takes over the buffer of an operand that dies here;
//    otherwise it gets a buffer of its own. A node with scratch gets a
//    buffer for its step alone.
// 4. At a Concat whose operands are slices of its result, move each
//    operand's whole buffer into the result's buffer at the slice's offset,
//    when every operand qualifies.
// 5. Drop emptied buffers, number the rest densely in creation order, and
//    compute their sizes (rounded up to the alignment) and intervals.
//
// The rules are conservative: an alias is made only when the bytes it
// overwrites or shares cannot be read afterwards by anything else. The
// GraphPlanner checks every plan again at value level, independently.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Analysis/Liveness.h"
#include "tinyplan/Ops/OpDef.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>

namespace tinyplan {

namespace {

/// A buffer while the walk is still merging values into it.
struct WorkBuffer {
  std::vector<unsigned> members;
  int rootValue = -1;
  int scratchNode = -1;
  int64_t rawSize = 0;
  /// Max of the members' last steps (what in-place and slices test).
  int64_t last = 0;
  bool external = false;
  bool holdsGraphInput = false;
  bool holdsGraphOutput = false;
  /// An in-place result already took this buffer at this step.
  int64_t claimedAt = -1;
  /// Moved into a concat buffer; dropped at the end.
  bool merged = false;
  /// The work buffer of the dying operand the root overlaps, or -1.
  int overlapWith = -1;
  int64_t overlapHead = 0;
  bool overlapExact = false;
};

int64_t alignTo(int64_t size, int64_t align) {
  return (size + align - 1) / align * align;
}

} // namespace

int64_t LivenessOptions::scratchBytes(const OpDef *op, const Node &node) const {
  int64_t bytes = op ? op->scratchBytes(node) : 0;
  if (node.id() < kernelScratch.size())
    bytes += kernelScratch[node.id()];
  return bytes;
}

bool LivenessOptions::slicesAt(const Node &node) const {
  if (!concatSlices || node.numResults() != 1 ||
      std::binary_search(wholeConcats.begin(), wholeConcats.end(), node.id()))
    return false;
  const OpDef *op = lookupOp(node);
  return op && op->operandSlices(node);
}

std::vector<bool> LivenessOptions::sliceCandidates(const Graph &graph) const {
  std::vector<bool> candidates(graph.numValues(), false);
  for (unsigned n = 0; n < graph.numNodes(); ++n)
    if (slicesAt(*graph.node(n)))
      for (const Value *operand : graph.node(n)->operands())
        if (operand)
          candidates[operand->id()] = true;
  return candidates;
}

std::optional<KernelOverlap> LivenessOptions::overlapAt(const Node &node) const {
  if (!overlap || node.id() >= kernelOverlap.size())
    return std::nullopt;
  return kernelOverlap[node.id()];
}

absl::StatusOr<Liveness> Liveness::compute(const Graph &graph,
                                           llvm::ArrayRef<unsigned> schedule,
                                           const LivenessOptions &options,
                                           std::string scheduleName) {
  if (options.align < 1 || (options.align & (options.align - 1)) != 0)
    return absl::InvalidArgumentError(
        absl::StrCat("alignment must be a power of two, got ", options.align));
  Liveness result;
  result.graph_ = &graph;
  result.options_ = options;
  unsigned numNodes = graph.numNodes();

  // 1. The schedule.
  if (schedule.empty()) {
    for (unsigned i = 0; i < numNodes; ++i)
      result.schedule_.push_back(i);
    result.scheduleName_ = scheduleName.empty() ? "file" : std::move(scheduleName);
  } else {
    result.schedule_.assign(schedule.begin(), schedule.end());
    result.scheduleName_ = scheduleName.empty() ? "custom" : std::move(scheduleName);
  }
  if (result.schedule_.size() != numNodes)
    return absl::InvalidArgumentError(
        absl::StrCat("schedule has ", result.schedule_.size(), " steps, the graph ",
                     numNodes, " nodes"));
  result.stepOfNode_.assign(numNodes, -1);
  for (unsigned step = 0; step < numNodes; ++step) {
    unsigned id = result.schedule_[step];
    if (id >= numNodes || result.stepOfNode_[id] >= 0)
      return absl::InvalidArgumentError(
          absl::StrCat("schedule is not a permutation of the node ids (step ",
                       step, " is ", id, ")"));
    result.stepOfNode_[id] = step;
  }
  for (unsigned step = 0; step < numNodes; ++step) {
    const Node &node = *graph.node(result.schedule_[step]);
    for (const Value *operand : node.operands())
      if (operand && operand->producer() &&
          result.stepOfNode_[operand->producer()->id()] >= int64_t(step))
        return absl::InvalidArgumentError(absl::StrCat(
            "schedule runs ", node.diagPrefix(), "before the producer of '",
            operand->name(), "'"));
  }

  // 2. Value lifetimes.
  int64_t lastStep = numNodes ? int64_t(numNodes) - 1 : 0;
  unsigned numValues = graph.numValues();
  std::vector<ValueInfo> &values = result.values_;
  values.resize(numValues);
  std::vector<bool> isInput(numValues, false), isOutput(numValues, false);
  for (const Value *input : graph.inputs())
    isInput[input->id()] = true;
  for (const Value *output : graph.outputs())
    isOutput[output->id()] = true;
  for (const auto &value : graph.values()) {
    ValueInfo &info = values[value->id()];
    if (value->isConstant()) {
      info.placement = Placement::Constant;
      continue;
    }
    info.hasBuffer = true;
    info.bytes = value->type().numBytes();
    info.first = value->producer() ? result.stepOfNode_[value->producer()->id()] : 0;
    info.last = isOutput[value->id()] ? lastStep : info.first;
  }
  for (unsigned step = 0; step < numNodes; ++step)
    for (const Value *operand : graph.node(result.schedule_[step])->operands())
      if (operand && !operand->isConstant())
        values[operand->id()].last =
            std::max(values[operand->id()].last, int64_t(step));
  std::vector<unsigned> uses = graph.countUses();
  auto isExternal = [&](unsigned id) {
    return !options.ioInArena && (isInput[id] || isOutput[id]);
  };

  // A value a Concat may take as a slice never overlaps: whether it becomes
  // one would then depend on the order (PeakModel follows the same rule).
  std::vector<bool> maySlice = options.sliceCandidates(graph);

  // 3. Walk the schedule.
  std::vector<WorkBuffer> work;
  auto addMember = [&](unsigned bufferId, unsigned valueId, int64_t offset) {
    WorkBuffer &buffer = work[bufferId];
    buffer.members.push_back(valueId);
    buffer.last = std::max(buffer.last, values[valueId].last);
    buffer.holdsGraphInput |= isInput[valueId];
    buffer.holdsGraphOutput |= isOutput[valueId];
    values[valueId].buffer = bufferId;
    values[valueId].offset = offset;
  };
  auto newBuffer = [&](unsigned valueId) {
    WorkBuffer buffer;
    buffer.rootValue = int(valueId);
    buffer.rawSize = values[valueId].bytes;
    buffer.last = values[valueId].last;
    buffer.external = isExternal(valueId);
    work.push_back(std::move(buffer));
    addMember(work.size() - 1, valueId, 0);
  };
  for (const Value *input : graph.inputs())
    newBuffer(input->id());

  for (unsigned step = 0; step < numNodes; ++step) {
    const Node &node = *graph.node(result.schedule_[step]);
    const OpDef *op = lookupOp(node);
    for (unsigned r = 0; r < node.numResults(); ++r) {
      unsigned id = node.result(r)->id();
      ValueInfo &info = values[id];
      // A caller-owned output must get the caller's bytes, not an alias.
      bool aliasable = op && !isExternal(id);

      const Value *source = node.operand(0);
      if (aliasable && options.views && op->isView(node, r) && source &&
          !source->isConstant() && values[source->id()].bytes == info.bytes) {
        info.placement = Placement::View;
        info.related = int(source->id());
        addMember(values[source->id()].buffer, id, values[source->id()].offset);
        continue;
      }

      bool placed = false;
      if (aliasable && options.inPlace) {
        for (unsigned index : op->inPlaceOperands(node, r)) {
          const Value *operand = node.operand(index);
          if (!operand || operand->isConstant())
            continue;
          const ValueInfo &operandInfo = values[operand->id()];
          WorkBuffer &buffer = work[operandInfo.buffer];
          // The operand must be the whole buffer, and everything in the
          // buffer (the operand, its views, what it overwrote) must be read
          // for the last time here, by nothing the caller sees.
          if (operandInfo.bytes != info.bytes || operandInfo.offset != 0 ||
              buffer.rawSize != info.bytes || buffer.last != int64_t(step) ||
              buffer.external || buffer.holdsGraphInput ||
              buffer.holdsGraphOutput || buffer.claimedAt == int64_t(step) ||
              buffer.scratchNode >= 0)
            continue;
          // Another operand reading the same bytes through a different
          // value (a view with another shape) could read an element after
          // it was overwritten.
          bool sharedByOther = false;
          for (const Value *other : node.operands())
            if (other && other != operand && !other->isConstant() &&
                values[other->id()].buffer == operandInfo.buffer)
              sharedByOther = true;
          if (sharedByOther)
            continue;
          info.placement = Placement::InPlace;
          info.related = int(operand->id());
          buffer.claimedAt = step;
          addMember(operandInfo.buffer, id, 0);
          placed = true;
          break;
        }
      }
      if (placed)
        continue;
      newBuffer(id);
      // Overlap: the new buffer may start up to the kernel's distance below
      // an operand that dies here, under the same conditions as in place.
      std::optional<KernelOverlap> overlap = options.overlapAt(node);
      if (r != 0 || !aliasable || !overlap || maySlice[id] ||
          overlap->operand >= node.numOperands())
        continue;
      const Value *operand = node.operand(overlap->operand);
      if (!operand || operand->isConstant())
        continue;
      const ValueInfo &operandInfo = values[operand->id()];
      unsigned operandBuffer = operandInfo.buffer;
      WorkBuffer &buffer = work[operandBuffer];
      int64_t head = alignTo(std::max<int64_t>(overlap->distance, 0), options.align);
      // An exact distance must keep its value: alignment may not move it.
      if (overlap->exact && head != overlap->distance)
        continue;
      // (A graph input in the arena may be overlapped: once read, its bytes
      // are reused like any other's.)
      if (operandInfo.offset != 0 || buffer.rawSize != operandInfo.bytes ||
          buffer.last != int64_t(step) || buffer.external || buffer.holdsGraphOutput ||
          buffer.claimedAt == int64_t(step) || buffer.scratchNode >= 0 ||
          head >= alignTo(info.bytes, options.align))
        continue;
      if (llvm::any_of(node.operands(), [&](const Value *other) {
            return other && other != operand && !other->isConstant() &&
                   values[other->id()].buffer == operandBuffer;
          }))
        continue;
      buffer.claimedAt = step;
      work.back().overlapWith = int(operandBuffer);
      work.back().overlapHead = head;
      work.back().overlapExact = overlap->exact;
      info.overlaps = int(operand->id());
      info.overlapHead = head;
      info.overlapExact = overlap->exact;
    }

    if (int64_t scratch = options.scratchBytes(op, node); scratch > 0) {
      WorkBuffer buffer;
      buffer.scratchNode = int(node.id());
      buffer.rawSize = scratch;
      buffer.last = step;
      work.push_back(std::move(buffer));
    }

    // 4. Concat slices.
    if (!options.slicesAt(node))
      continue;
    std::optional<llvm::SmallVector<int64_t, 4>> slices = op->operandSlices(node);
    unsigned concatId = node.result(0)->id();
    unsigned concatBuffer = values[concatId].buffer;
    if (isExternal(concatId) || work[concatBuffer].rootValue != int(concatId))
      continue;
    bool redirectable = true;
    std::vector<unsigned> operandBuffers;
    for (const Value *operand : node.operands()) {
      // Only a node's result, read by this concat alone, whose buffer holds
      // nothing but it and what it overwrote, all dead after this step: then
      // the whole buffer can sit inside the slice.
      if (!operand || operand->isConstant() || !operand->producer() ||
          isInput[operand->id()] || isOutput[operand->id()] ||
          uses[operand->id()] != 1) {
        redirectable = false;
        break;
      }
      const ValueInfo &operandInfo = values[operand->id()];
      const WorkBuffer &buffer = work[operandInfo.buffer];
      // (An overlapping buffer stays where its kernel's distance put it.)
      if (operandInfo.offset != 0 || buffer.rawSize != operandInfo.bytes ||
          buffer.last != int64_t(step) || buffer.external ||
          buffer.holdsGraphInput || buffer.holdsGraphOutput ||
          buffer.scratchNode >= 0 || buffer.overlapWith >= 0 ||
          operandInfo.buffer == concatBuffer ||
          llvm::is_contained(operandBuffers, operandInfo.buffer)) {
        redirectable = false;
        break;
      }
      operandBuffers.push_back(operandInfo.buffer);
    }
    if (!redirectable)
      continue;
    for (unsigned i = 0; i < node.numOperands(); ++i) {
      const Value *operand = node.operand(i);
      WorkBuffer &buffer = work[operandBuffers[i]];
      for (unsigned member : buffer.members)
        addMember(concatBuffer, member, (*slices)[i] + values[member].offset);
      buffer.members.clear();
      buffer.merged = true;
      values[operand->id()].sliceOf = int(concatId);
      values[operand->id()].sliceOffset = (*slices)[i];
    }
  }

  // 5. Number and size the surviving buffers.
  std::vector<unsigned> newId(work.size(), 0);
  for (unsigned i = 0; i < work.size(); ++i) {
    const WorkBuffer &buffer = work[i];
    if (buffer.merged)
      continue;
    newId[i] = result.buffers_.size();
    BufferInfo info;
    info.rootValue = buffer.rootValue;
    info.scratchNode = buffer.scratchNode;
    info.rawSize = buffer.rawSize;
    info.size = alignTo(buffer.rawSize, options.align);
    info.external = buffer.external;
    info.values = buffer.members;
    std::sort(info.values.begin(), info.values.end());
    if (buffer.scratchNode >= 0) {
      info.first = info.last = buffer.last;
    } else {
      info.first = lastStep;
      info.last = 0;
      for (unsigned member : buffer.members) {
        info.first = std::min(info.first, values[member].first);
        info.last = std::max(info.last, values[member].last);
      }
    }
    result.buffers_.push_back(std::move(info));
  }
  for (ValueInfo &info : values)
    if (info.hasBuffer)
      info.buffer = newId[info.buffer];
  for (unsigned i = 0; i < work.size(); ++i)
    if (!work[i].merged && work[i].overlapWith >= 0) {
      BufferInfo &info = result.buffers_[newId[i]];
      info.overlapWith = int(newId[work[i].overlapWith]);
      info.overlapHead = work[i].overlapHead;
      info.overlapExact = work[i].overlapExact;
    }
  return result;
}

std::string Liveness::placementStr(unsigned valueId) const {
  const ValueInfo &info = values_[valueId];
  auto name = [&](int id) { return "%" + graph_->value(unsigned(id))->name(); };
  std::string text;
  switch (info.placement) {
  case Placement::Constant:
    return "constant";
  case Placement::View:
    text = "view of " + name(info.related);
    break;
  case Placement::InPlace:
    text = "in place of " + name(info.related);
    break;
  case Placement::Own: {
    const BufferInfo &buffer = buffers_[info.buffer];
    if (info.sliceOf < 0 && buffer.rootValue != int(valueId))
      // The start of an operand's buffer moved into a concat, overwritten
      // in place before the concat reads it.
      text = absl::StrCat("own in ", name(buffer.rootValue), " +", info.offset);
    else if (info.sliceOf < 0)
      text = "own";
    if (info.overlaps >= 0)
      absl::StrAppend(&text, ", overlaps ", name(info.overlaps), " from ",
                      info.overlapExact ? "exactly " : "", info.overlapHead, " B below");
    break;
  }
  }
  if (info.sliceOf >= 0)
    absl::StrAppend(&text, text.empty() ? "" : "; ", "slice of ", name(info.sliceOf),
                    " +", info.sliceOffset);
  return text;
}

void Liveness::print(llvm::raw_ostream &os) const {
  os << "liveness @" << graph_->name() << " schedule=" << scheduleName_
     << " steps=" << numSteps() << " align=" << options_.align << '\n';
  for (const auto &value : graph_->values()) {
    const ValueInfo &info = values_[value->id()];
    if (!info.hasBuffer)
      continue;
    os << '%' << value->name() << ' ' << value->type().str() << ' ' << info.bytes
       << " [" << info.first << ", " << info.last << "] "
       << placementStr(value->id());
    if (buffers_[info.buffer].external)
      os << " caller-owned";
    os << '\n';
  }
  for (unsigned i = 0; i < buffers_.size(); ++i) {
    const BufferInfo &buffer = buffers_[i];
    os << "buffer #" << i << ' ';
    if (buffer.scratchNode >= 0)
      os << "scratch of '" << graph_->node(buffer.scratchNode)->name() << "'";
    else
      os << '%' << graph_->value(buffer.rootValue)->name();
    os << ' ' << buffer.size << " [" << buffer.first << ", " << buffer.last << "]";
    if (buffer.external)
      os << " caller-owned";
    os << '\n';
  }
}

} // namespace tinyplan
