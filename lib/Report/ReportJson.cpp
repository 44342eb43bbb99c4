//===- ReportJson.cpp - The report as JSON (schema tinyplan-report/1) ------===//
//
// The same facts as the text report, for dashboards and scripts. The schema
// is documented in docs/report.md and, machine-checkably, in
// docs/report.schema.json; bytes and counts are plain integers, sizes that
// do not exist are null, keys keep their order.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Report/ModelReport.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace tinyplan {

namespace {

void optionalInt(llvm::json::OStream &j, llvm::StringRef key, std::optional<int64_t> value) {
  if (value)
    j.attribute(key, *value);
  else
    j.attribute(key, nullptr);
}

std::string fixed(llvm::StringRef text) { return llvm::json::fixUTF8(text); }

} // namespace

void ModelReport::printJson(llvm::raw_ostream &os) const {
  const Liveness &liveness = plan_->liveness();
  const Graph &graph = liveness.graph();
  const ReportTotals &t = totals_;
  llvm::json::OStream j(os, 1);
  j.object([&] {
    j.attribute("schema", "tinyplan-report/1");
    j.attributeObject("model", [&] {
      j.attribute("name", fixed(graph.name()));
      j.attribute("file", fixed(options_.modelFile));
    });
    j.attributeArray("layers", [&] {
      for (const LayerRow &row : layers_)
        j.object([&] {
          if (row.step >= 0)
            j.attribute("step", row.step);
          else
            j.attribute("step", nullptr);
          j.attribute("name", fixed(row.name));
          j.attribute("op", fixed(row.op));
          j.attribute("output", row.output);
          j.attribute("params", row.params);
          j.attribute("macs", row.macs);
          j.attribute("weight_bytes", row.weightBytes);
          j.attribute("activation_bytes", row.activationBytes);
          optionalInt(j, "arena_begin", row.arenaBegin);
          optionalInt(j, "arena_end", row.arenaEnd);
          j.attribute("placement", fixed(row.placement));
          if (!row.qdqUnfused.empty())
            j.attribute("qdq_unfused", fixed(row.qdqUnfused));
        });
    });
    j.attributeObject("totals", [&] {
      j.attribute("params", t.params);
      j.attribute("macs", t.macs);
      j.attribute("weight_bytes", t.weightBytes);
      j.attribute("arena_bytes", t.arena);
      j.attribute("lower_bound_bytes", t.lowerBound);
      j.attribute("gap_bytes", t.arena - t.lowerBound);
      j.attribute("proven_optimal", t.provenOptimal);
      j.attribute("packing_bound_bytes", t.packingBound);
      j.attribute("packing_optimal", t.packingOptimal);
      j.attribute("no_reuse_bytes", t.noReuse);
      j.attribute("saved_bytes", t.noReuse - t.arena);
      j.attribute("input_bytes", t.inputBytes);
      j.attribute("output_bytes", t.outputBytes);
      j.attribute("io_in_arena", t.ioInArena);
    });
    j.attributeObject("peak", [&] {
      j.attribute("step", t.peakStep);
      if (liveness.numSteps() > 0)
        j.attribute("node", fixed(graph.node(liveness.schedule()[size_t(t.peakStep)])->name()));
      else
        j.attribute("node", nullptr);
      j.attribute("live_bytes", t.peakBytes);
      j.attributeArray("buffers", [&] {
        for (unsigned b : t.peakBuffers)
          j.value(int64_t(b));
      });
    });
    j.attributeObject("plan", [&] {
      j.attribute("schedule", liveness.scheduleName());
      if (const Schedule *schedule = plan_->schedule()) {
        j.attribute("schedule_peak", schedule->peak);
        j.attribute("model_order_peak", schedule->filePeak);
        j.attribute("schedule_proven_optimal", schedule->provenOptimal);
      }
      j.attribute("aliasing_plans", int64_t(plan_->aliasingSearch().plans));
      j.attributeArray("whole_concats", [&] {
        for (unsigned node : liveness.options().wholeConcats)
          j.value(fixed(graph.node(node)->name()));
      });
      j.attribute("packer", plan_->memoryPlan().strategy);
      j.attribute("align", liveness.options().align);
      if (!plan_->regions().empty())
        j.attributeArray("regions", [&] {
          for (const RegionUse &use : plan_->regions())
            j.object([&] {
              j.attribute("name", use.region.name);
              j.attribute("fast", use.region.fast);
              j.attribute("size", use.region.size);
              j.attribute("base", use.base);
              j.attribute("used", use.used);
              j.attribute("bound", use.bound);
              j.attribute("access_share", use.accessShare);
            });
        });
      j.attributeArray("buffers", [&] {
        for (unsigned b = 0; b < liveness.buffers().size(); ++b) {
          const BufferInfo &buffer = liveness.buffer(b);
          j.object([&] {
            j.attribute("id", int64_t(b));
            j.attribute("label", fixed(bufferLabel(b)));
            j.attributeArray("values", [&] {
              for (unsigned id : buffer.values)
                j.value(fixed(graph.value(id)->name()));
            });
            optionalInt(j, "offset", plan_->bufferOffset(b));
            j.attribute("size", buffer.size);
            j.attribute("first", buffer.first);
            j.attribute("last", buffer.last);
            j.attribute("external", buffer.external);
            if (buffer.overlapWith >= 0) {
              j.attribute("overlaps", int64_t(buffer.overlapWith));
              j.attribute("overlap_head", buffer.overlapHead);
            }
          });
        }
      });
    });
    j.attributeObject("code", [&] {
      j.attribute("estimated", code_.ok());
      if (!code_.ok()) {
        j.attribute("reason", fixed(std::string(code_.status().message())));
        return;
      }
      j.attribute("code_bytes", code_->codeBytes());
      j.attribute("model_bytes", code_->modelBytes);
      j.attribute("library_bytes", code_->libraryBytes);
      j.attributeObject("library_functions", [&] {
        for (const auto &[name, bytes] : code_->libraryFunctions)
          j.attribute(name, bytes);
      });
      j.attribute("kernels", code_->kernels);
      j.attribute("kernel_tokens", code_->kernelTokens);
      j.attribute("call_tokens", code_->callTokens);
    });
    if (const std::optional<PatchSummary> &p = options_.patches) {
      j.attributeObject("patches", [&] {
        j.attribute("until", fixed(p->until));
        j.attribute("patches_per_side", p->patches);
        j.attribute("stage_nodes", p->stageNodes);
        j.attribute("macs_without", p->macsBefore);
        j.attribute("macs_with", p->macsAfter);
        j.attribute("arena_without", p->arenaWithout);
      });
    } else {
      j.attribute("patches", nullptr);
    }
    j.attribute("stack_bytes", options_.stackBytes);
    if (!verdict_) {
      j.attribute("verdict", nullptr);
      return;
    }
    const Verdict &v = *verdict_;
    j.attributeObject("verdict", [&] {
      if (v.budget.target)
        j.attribute("target", v.budget.target->name);
      else
        j.attribute("target", nullptr);
      j.attribute("budget", v.budgetName());
      optionalInt(j, "ram_budget", v.budget.ramBytes);
      optionalInt(j, "flash_budget", v.budget.flashBytes);
      optionalInt(j, "largest_ram_block", v.budget.largestRamBlock);
      j.attribute("ram_needed", v.ramNeeded);
      j.attribute("flash_needed", v.flashNeeded);
      j.attribute("code_estimated", v.codeEstimated);
      optionalInt(j, "ram_headroom",
                  v.budget.ramBytes ? std::optional<int64_t>(*v.budget.ramBytes - v.ramNeeded)
                                    : std::nullopt);
      optionalInt(j, "flash_headroom",
                  v.budget.flashBytes
                      ? std::optional<int64_t>(*v.budget.flashBytes - v.flashNeeded)
                      : std::nullopt);
      j.attribute("ram_with_weights", v.ramWithWeights);
      j.attribute("fits_ram", v.fitsRam);
      j.attribute("fits_ram_block", v.fitsBlock);
      j.attribute("fits_flash", v.fitsFlash);
      j.attribute("fits", v.fits());
      j.attributeArray("fit_suggestions", [&] {
        for (const std::string &suggestion : options_.fitSuggestions)
          j.value(suggestion);
      });
    });
  });
  os << '\n';
}

} // namespace tinyplan
