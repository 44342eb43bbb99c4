//===- Resize.cpp - ONNX Resize and Upsample -------------------------------===//
//
// Resizes the data by interpolation, one axis at a time, as ONNX's
// reference (onnx/reference/ops/op_resize.py) does:
//   Upsample 7-8  attribute `scales`; 9 input `scales`; modes nearest, linear
//   Resize 10     input `scales`; modes nearest, linear
//   Resize 11+    inputs roi, scales, sizes (one of scales / sizes);
//                 coordinate_transformation_mode, cubic_coeff_a,
//                 exclude_outside, extrapolation_value, nearest_mode, mode
//                 cubic; tf_half_pixel_for_nn only in 11 and 12
//   Resize 18+    antialias, axes, keep_aspect_ratio_policy
//   Resize 19+    coordinate_transformation_mode half_pixel_symmetric
// Before Resize 11 the coordinates are asymmetric (x / scale) and nearest
// rounds as ONNX Runtime does there: down (truncating) when an axis grows,
// up when it shrinks.
//
// Along an axis, output index x maps to input coordinate x_ori with the
// arithmetic of numpy 1.x scalars, which ran the reference for the node
// tests tinyplan checks against: a float scales input widened (sizes give
// out / in), everything in double except an f32 roi's ends, subtracted in
// float32. The reference then takes the n input indices nearest to x_ori
// (n = 2 for nearest and linear, 4 for cubic, more for antialiased
// downsampling; ties to the lower index) from the input padded at both ends
// by ceil(n / 2) copies of its edge elements, and weights them by
// coefficients of the fraction of x_ori. The tables of Resize.h hold exactly
// these indices (clamped into the input) and weights (those of weight 0
// dropped). Everything is known at compile time: scales, sizes and roi must
// be constants. ONNX Runtime computes coordinates in float32 and differs
// from the reference where that rounds across a nearest tie or an integer.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/Resize.h"
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Support/Checked.h"

#include <cmath>
#include <cstring>
#include <functional>

namespace tinyplan {
namespace {

enum class Mode { Nearest, Linear, Cubic };
enum class Transform {
  HalfPixel,
  HalfPixelSymmetric,
  PytorchHalfPixel,
  AlignCorners,
  Asymmetric,
  TfHalfPixelForNn,
  TfCropAndResize
};
enum class Rounding { PreferFloor, PreferCeil, Floor, Ceil, Simple };

/// The attributes and constant operands of a node, resolved per axis.
struct Params {
  Mode mode = Mode::Nearest;
  Transform transform = Transform::Asymmetric;
  Rounding rounding = Rounding::Simple;
  double cubicA = -0.75;
  bool excludeOutside = false;
  bool antialias = false;
  double extrapolation = 0;
  /// Per axis: the scale as the reference holds it, the output extent
  /// (`output_width`, scale * in, not rounded to an integer) and the roi.
  std::vector<double> scale, outWidth, roiStart, roiEnd;
  /// Whether roi is f32: the reference subtracts its ends in float32.
  bool roiF32 = false;
  Shape outShape;
};

template <typename T>
absl::StatusOr<T> lookup(llvm::StringRef what, const std::string &name,
                         std::initializer_list<std::pair<const char *, T>> table) {
  for (const auto &[key, value] : table)
    if (name == key)
      return value;
  return absl::UnimplementedError(absl::StrCat(what.str(), " '", name, "' is not supported"));
}

/// The values of float operand \p index (a constant), or empty when it is
/// omitted or has no elements.
absl::StatusOr<std::vector<double>> constantFloats(const Node &node, unsigned index,
                                                   llvm::StringRef role) {
  const Value *operand = node.operand(index);
  if (!operand || operand->type().numElements() == 0)
    return std::vector<double>();
  if (!isFloat(operand->type().dtype))
    return modelError("input '", role.str(), "' must be a float tensor, got ",
                      operand->type().str());
  const Tensor *data = operand->constant();
  if (!data)
    return notConstantError(node, index, role);
  std::vector<double> values;
  for (int64_t i = 0; i < data->numElements(); ++i)
    values.push_back(data->doubleAt(i));
  return values;
}

absl::StatusOr<Params> resolveParams(const Node &node, int64_t opset) {
  const TensorType &data = node.operand(0)->type();
  const int64_t rank = data.rank();
  const bool upsample = node.opType() == "Upsample";
  Params p;
  TP_ASSIGN_OR_RETURN(std::string modeName, node.getString("mode", "nearest"));
  if (upsample && opset < 7)
    return absl::UnimplementedError("Upsample before opset 7 is not supported");
  if (upsample && opset >= 10)
    return modelError("Upsample is deprecated since opset 10 (the model uses opset ", opset,
                      "); use Resize");
  const bool legacy = upsample || opset < 11;
  if (legacy) {
    if (modeName == "cubic")
      return modelError("mode 'cubic' requires Resize opset 11");
    TP_ASSIGN_OR_RETURN(
        p.mode,
        lookup<Mode>("mode", modeName, {{"nearest", Mode::Nearest}, {"linear", Mode::Linear}}));
  } else {
    TP_ASSIGN_OR_RETURN(p.mode, lookup<Mode>("mode", modeName,
                                             {{"nearest", Mode::Nearest},
                                              {"linear", Mode::Linear},
                                              {"cubic", Mode::Cubic}}));
  }

  // The scales (as the model stores them: float32 scales widened) or sizes,
  // for the axes they cover.
  std::vector<double> scales;
  std::vector<int64_t> sizes, axes;
  std::vector<double> roi;
  if (upsample && opset < 9) {
    if (node.numOperands() > 1)
      return modelError("takes 1 input before opset 9, got ", node.numOperands());
    if (!node.hasAttr("scales"))
      return modelError("attribute 'scales' is required");
    TP_ASSIGN_OR_RETURN(std::vector<float> attr, node.getFloats("scales"));
    scales.assign(attr.begin(), attr.end());
  } else if (legacy) {
    if (node.numOperands() != 2 || !node.operand(1))
      return modelError("takes 2 inputs (X, scales) ", upsample ? "from opset 9" : "in opset 10",
                        ", got ", node.numOperands());
    TP_ASSIGN_OR_RETURN(scales, constantFloats(node, 1, "scales"));
  } else {
    if (opset < 13 && (node.numOperands() < 3 || !node.operand(1) || !node.operand(2)))
      return modelError("inputs 'roi' and 'scales' are required before opset 13");
    TP_ASSIGN_OR_RETURN(roi, constantFloats(node, 1, "roi"));
    p.roiF32 = node.operand(1) && node.operand(1)->type().dtype == DType::F32;
    TP_ASSIGN_OR_RETURN(scales, constantFloats(node, 2, "scales"));
    if (node.operand(3) && node.operand(3)->type().numElements() > 0) {
      if (node.operand(3)->type().dtype != DType::I64)
        return modelError("sizes must be i64, got ", node.operand(3)->type().str());
      TP_ASSIGN_OR_RETURN(sizes, constantIntsOperand(node, 3, "sizes"));
    }
  }
  if (legacy && node.hasAttr("coordinate_transformation_mode"))
    return modelError("attribute 'coordinate_transformation_mode' requires opset 11");
  if (scales.empty() == sizes.empty())
    return modelError(sizes.empty() ? "one of 'scales' and 'sizes' is required"
                                    : "only one of 'scales' and 'sizes' may be given");

  if (!legacy) {
    TP_ASSIGN_OR_RETURN(std::string transform,
                        node.getString("coordinate_transformation_mode", "half_pixel"));
    if (transform == "tf_half_pixel_for_nn" && opset >= 13)
      return modelError("coordinate_transformation_mode 'tf_half_pixel_for_nn' was removed ",
                        "in opset 13");
    if (transform == "half_pixel_symmetric" && opset < 19)
      return modelError("coordinate_transformation_mode 'half_pixel_symmetric' requires ",
                        "opset 19");
    TP_ASSIGN_OR_RETURN(p.transform,
                        lookup<Transform>("coordinate_transformation_mode", transform,
                                          {{"half_pixel", Transform::HalfPixel},
                                           {"half_pixel_symmetric", Transform::HalfPixelSymmetric},
                                           {"pytorch_half_pixel", Transform::PytorchHalfPixel},
                                           {"align_corners", Transform::AlignCorners},
                                           {"asymmetric", Transform::Asymmetric},
                                           {"tf_half_pixel_for_nn", Transform::TfHalfPixelForNn},
                                           {"tf_crop_and_resize", Transform::TfCropAndResize}}));
    TP_ASSIGN_OR_RETURN(std::string rounding, node.getString("nearest_mode", "round_prefer_floor"));
    TP_ASSIGN_OR_RETURN(p.rounding, lookup<Rounding>("nearest_mode", rounding,
                                                     {{"round_prefer_floor", Rounding::PreferFloor},
                                                      {"round_prefer_ceil", Rounding::PreferCeil},
                                                      {"floor", Rounding::Floor},
                                                      {"ceil", Rounding::Ceil}}));
    TP_ASSIGN_OR_RETURN(float cubicA, node.getFloat("cubic_coeff_a", -0.75f));
    p.cubicA = cubicA;
    TP_ASSIGN_OR_RETURN(int64_t exclude, node.getInt("exclude_outside", 0));
    p.excludeOutside = exclude != 0;
    TP_ASSIGN_OR_RETURN(float extrapolation, node.getFloat("extrapolation_value", 0.0f));
    p.extrapolation = extrapolation;
  }
  std::string keepAspect = "stretch";
  if (opset >= 18 && !legacy) {
    TP_ASSIGN_OR_RETURN(int64_t antialias, node.getInt("antialias", 0));
    p.antialias = antialias != 0;
    if (p.antialias && p.mode == Mode::Nearest)
      return modelError("antialias applies to modes linear and cubic, not nearest");
    TP_ASSIGN_OR_RETURN(keepAspect, node.getString("keep_aspect_ratio_policy", "stretch"));
    if (keepAspect != "stretch" && keepAspect != "not_larger" && keepAspect != "not_smaller")
      return absl::UnimplementedError(
          absl::StrCat("keep_aspect_ratio_policy '", keepAspect, "' is not supported"));
    TP_ASSIGN_OR_RETURN(axes, node.getInts("axes"));
  } else {
    for (const char *attr : {"antialias", "axes", "keep_aspect_ratio_policy"})
      if (node.hasAttr(attr))
        return modelError("attribute '", attr, "' requires opset 18");
  }

  // Axes given, or every axis.
  if (axes.empty())
    for (int64_t axis = 0; axis < rank; ++axis)
      axes.push_back(axis);
  std::vector<bool> covered(size_t(rank), false);
  for (int64_t &axis : axes) {
    TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, rank));
    if (covered[size_t(axis)])
      return modelError("axis ", axis, " appears twice in axes");
    covered[size_t(axis)] = true;
  }
  size_t count = axes.size();
  if (!scales.empty() && scales.size() != count)
    return modelError("scales has ", scales.size(), " values, expected ", count);
  if (!sizes.empty() && sizes.size() != count)
    return modelError("sizes has ", sizes.size(), " values, expected ", count);
  if (!roi.empty() && roi.size() != 2 * count)
    return modelError("roi has ", roi.size(), " values, expected ", 2 * count);
  if (p.transform == Transform::TfCropAndResize && roi.empty())
    return modelError("coordinate_transformation_mode 'tf_crop_and_resize' needs roi");

  p.scale.assign(size_t(rank), 1.0);
  p.roiStart.assign(size_t(rank), 0.0);
  p.roiEnd.assign(size_t(rank), 1.0);
  p.outShape = data.shape;
  for (int64_t axis = 0; axis < rank; ++axis)
    p.outWidth.push_back(double(data.shape[size_t(axis)]));
  for (size_t i = 0; i < count; ++i) {
    size_t axis = size_t(axes[i]);
    if (!roi.empty()) {
      p.roiStart[axis] = roi[i];
      p.roiEnd[axis] = roi[count + i];
    }
  }
  if (!scales.empty()) {
    for (size_t i = 0; i < count; ++i) {
      size_t axis = size_t(axes[i]);
      double scale = scales[i];
      if (!(scale > 0) || !std::isfinite(scale))
        return modelError("scale ", scale, " of axis ", axis, " is not positive and finite");
      if (upsample && scale < 1)
        return modelError("Upsample scale ", scale, " of axis ", axis, " is below 1");
      double out = std::floor(scale * double(data.shape[axis]));
      if (out > double(int64_t(1) << 40))
        return modelError("scale ", scale, " makes axis ", axis, " too large");
      p.scale[axis] = scale;
      p.outShape[axis] = int64_t(out);
      // numpy (1.x) multiplies the float32 scale and the Python int extent
      // in double.
      p.outWidth[axis] = scale * double(data.shape[axis]);
    }
  } else {
    for (size_t i = 0; i < count; ++i) {
      size_t axis = size_t(axes[i]);
      if (sizes[i] < 0)
        return modelError("size ", sizes[i], " of axis ", axis, " is negative");
      if (data.shape[axis] == 0 && sizes[i] != 0)
        return modelError("axis ", axis, " is empty and cannot be resized to ", sizes[i]);
      p.scale[axis] = data.shape[axis] ? double(sizes[i]) / double(data.shape[axis]) : 1.0;
    }
    if (keepAspect != "stretch") {
      double scale = p.scale[size_t(axes[0])];
      for (int64_t axis : axes)
        scale = keepAspect == "not_larger" ? std::min(scale, p.scale[size_t(axis)])
                                           : std::max(scale, p.scale[size_t(axis)]);
      for (int64_t axis : axes) {
        p.scale[size_t(axis)] = scale;
        p.outShape[size_t(axis)] = int64_t(scale * double(data.shape[size_t(axis)]) + 0.5);
      }
    } else {
      for (size_t i = 0; i < count; ++i)
        p.outShape[size_t(axes[i])] = sizes[i];
    }
    for (int64_t axis : axes)
      p.outWidth[size_t(axis)] = p.scale[size_t(axis)] * double(data.shape[size_t(axis)]);
  }
  TP_RETURN_IF_ERROR(checkedNumElements(p.outShape, data.dtype).status());
  return p;
}

/// The input coordinate of output index \p x along an axis of \p in
/// elements (reference: _interpolate_1d_with_x), or nullopt for the
/// extrapolation value.
std::optional<double> inputCoordinate(const Params &p, size_t axis, int64_t x, int64_t in,
                                      int64_t outInt) {
  double scale = p.scale[axis], outWidth = p.outWidth[axis];
  double xd = double(x);
  switch (p.transform) {
  case Transform::AlignCorners:
    return outWidth == 1 ? 0.0 : xd * double(in - 1) / (outWidth - 1);
  case Transform::Asymmetric:
    return xd / scale;
  case Transform::TfHalfPixelForNn:
    return (xd + 0.5) / scale;
  case Transform::PytorchHalfPixel:
    return outWidth == 1 ? -0.5 : (xd + 0.5) / scale - 0.5;
  case Transform::HalfPixel:
    return (xd + 0.5) / scale - 0.5;
  case Transform::HalfPixelSymmetric: {
    double adjustment = double(outInt) / outWidth;
    double center = double(in) / 2;
    double offset = center * (1 - adjustment);
    return offset + (xd + 0.5) / scale - 0.5;
  }
  case Transform::TfCropAndResize: {
    double start = p.roiStart[axis], end = p.roiEnd[axis];
    double extent = p.roiF32 ? double(float(end) - float(start)) : end - start;
    double xo =
        outWidth == 1 ? extent * double(in - 1) / 2 : xd * extent * double(in - 1) / (outWidth - 1);
    xo += start * double(in - 1);
    if (xo < 0 || xo > double(in - 1))
      return std::nullopt;
    return xo;
  }
  }
  return std::nullopt;
}

/// \p coeffs divided by their sum.
std::vector<double> normalized(std::vector<double> coeffs) {
  double sum = 0;
  for (double c : coeffs)
    sum += c;
  for (double &c : coeffs)
    c /= sum;
  return coeffs;
}

/// The coefficients for fraction \p ratio in (0, 1] (reference:
/// _nearest_coeffs, _linear_coeffs[_antialias], _cubic_coeffs[_antialias]).
std::vector<double> coefficients(const Params &p, double ratio, double scale, bool downsample) {
  switch (p.mode) {
  case Mode::Nearest: {
    if (ratio == std::floor(ratio))
      return {0, 1};
    bool up = false;
    switch (p.rounding) {
    case Rounding::PreferFloor:
      up = ratio > 0.5;
      break;
    case Rounding::PreferCeil:
      up = ratio >= 0.5;
      break;
    case Rounding::Floor:
      up = false;
      break;
    case Rounding::Ceil:
      up = true;
      break;
    case Rounding::Simple:
      up = downsample;
      break;
    }
    return {up ? 0.0 : 1.0, up ? 1.0 : 0.0};
  }
  case Mode::Linear: {
    if (!p.antialias)
      return {1 - ratio, ratio};
    scale = std::min(scale, 1.0);
    int64_t start = int64_t(std::floor(-1 / scale) + 1);
    int64_t footprint = 2 - 2 * start;
    std::vector<double> coeffs;
    for (int64_t i = start; i < start + footprint; ++i) {
      double arg = (double(i) - ratio) * scale;
      coeffs.push_back(std::clamp(1 - std::fabs(arg), 0.0, 1.0));
    }
    return normalized(std::move(coeffs));
  }
  case Mode::Cubic: {
    const double A = p.cubicA;
    if (!p.antialias) {
      double r1 = ratio + 1, q = 1 - ratio, q1 = q + 1;
      return {((A * r1 - 5 * A) * r1 + 8 * A) * r1 - 4 * A,
              ((A + 2) * ratio - (A + 3)) * ratio * ratio + 1, ((A + 2) * q - (A + 3)) * q * q + 1,
              ((A * q1 - 5 * A) * q1 + 8 * A) * q1 - 4 * A};
    }
    scale = std::min(scale, 1.0);
    int64_t start = int64_t(std::floor(-2 / scale) + 1);
    std::vector<double> coeffs;
    for (int64_t i = start; i < 2 - start; ++i) {
      double x = std::fabs(scale * (double(i) - ratio));
      double x2 = x * x, x3 = x * x2;
      coeffs.push_back(x <= 1  ? (A + 2) * x3 - (A + 3) * x2 + 1
                       : x < 2 ? A * x3 - 5 * A * x2 + 8 * A * x - 4 * A
                               : 0.0);
    }
    return normalized(std::move(coeffs));
  }
  }
  return {};
}

/// The first of the \p n indices of the edge-padded input (ceil(n / 2)
/// copies at each end) nearest to \p x, ties to the lower index (reference:
/// _get_neighbor_idxes), in the unpadded input's numbering. They are
/// consecutive: the distance to x falls, then rises.
int64_t firstNeighbor(double x, int64_t n, int64_t in) {
  int64_t pad = (n + 1) / 2, limit = in + 2 * pad;
  double xp = x + double(pad);
  // Clamp far-away coordinates: the order of the distances stays the same.
  double cx = std::clamp(xp, -1.0, double(limit));
  int64_t lo = std::max<int64_t>(0, int64_t(std::floor(cx)) - n - 1);
  int64_t hi = std::min<int64_t>(limit, int64_t(std::floor(cx)) + n + 2);
  std::vector<int64_t> candidates;
  for (int64_t i = lo; i < hi; ++i)
    candidates.push_back(i);
  std::stable_sort(candidates.begin(), candidates.end(), [&](int64_t a, int64_t b) {
    double da = std::fabs(xp - double(a)), db = std::fabs(xp - double(b));
    return da != db ? da < db : a < b;
  });
  int64_t first = limit;
  for (int64_t k = 0; k < n && k < int64_t(candidates.size()); ++k)
    first = std::min(first, candidates[size_t(k)]);
  return first - pad;
}

absl::StatusOr<ResizeAxis> axisTaps(const Params &p, size_t axis, int64_t in, int64_t out) {
  ResizeAxis taps;
  taps.inDim = in;
  taps.outDim = out;
  taps.start.push_back(0);
  double scale = p.scale[axis];
  for (int64_t x = 0; x < out; ++x) {
    std::optional<double> xo = inputCoordinate(p, axis, x, in, out);
    if (xo) {
      if (!std::isfinite(*xo))
        return modelError("axis ", axis, ": output ", x, " maps to coordinate ", *xo);
      double floorX = std::floor(*xo);
      double ratio = *xo == floorX ? 1.0 : *xo - floorX;
      std::vector<double> coeffs = coefficients(p, ratio, scale, scale < 1);
      int64_t n = int64_t(coeffs.size());
      int64_t first = firstNeighbor(*xo, n, in);
      if (p.excludeOutside) {
        for (int64_t k = 0; k < n; ++k)
          if (first + k < 0 || first + k >= in)
            coeffs[size_t(k)] = 0;
        coeffs = normalized(std::move(coeffs));
      }
      for (int64_t k = 0; k < n; ++k) {
        double w = coeffs[size_t(k)];
        if (!std::isfinite(w))
          return absl::UnimplementedError(absl::StrCat(
              "axis ", axis, ": output ", x,
              " has no input inside (exclude_outside leaves no weight); not supported"));
        if (w == 0)
          continue;
        taps.index.push_back(std::clamp<int64_t>(first + k, 0, in - 1));
        taps.weight.push_back(w);
      }
    }
    taps.start.push_back(int64_t(taps.index.size()));
  }
  return taps;
}

class ResizeOp final : public OpDef {
public:
  explicit ResizeOp(const char *name, unsigned maxOperands) : OpDef(name, 1, maxOperands) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    TP_ASSIGN_OR_RETURN(ResizePlan plan, resolveResize(node, opset));
    return TypeList{TensorType(node.operand(0)->type().dtype, plan.outShape)};
  }

  OpCost cost(const Node &node) const override {
    OpCost cost;
    absl::StatusOr<ResizePlan> plan = resolveResize(node, opsetOf(node));
    if (!plan.ok() || plan->nearest)
      return cost;
    // Nested sums: output element (o_1, ..., o_r) takes the product of its
    // axes' tap counts, and the sum over all outputs factorises.
    double macs = 1;
    for (const ResizeAxis &axis : plan->axes)
      macs *= double(axis.index.size());
    cost.macs = int64_t(std::min(macs, 9.0e18));
    return cost;
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node, llvm::ArrayRef<const Tensor *> operands,
                                  int64_t opset) const override {
    TP_ASSIGN_OR_RETURN(ResizePlan plan, resolveResize(node, opset));
    const Tensor &data = *operands[0];
    const TensorType &type = node.result(0)->type();
    size_t rank = plan.axes.size();
    if (plan.nearest) {
      // A gather, bit for bit; the extrapolation value converted once.
      int64_t size = dtypeSize(type.dtype);
      std::vector<uint8_t> value(static_cast<size_t>(size));
      storeDoubleElement(type.dtype, value.data(), plan.extrapolation);
      const uint8_t *in = data.rawBytes().data();
      return TensorList{buildTensor(type, [&](int64_t i, uint8_t *out) {
        int64_t source = 0, stride = 1;
        for (size_t d = rank; d-- > 0;) {
          const ResizeAxis &axis = plan.axes[d];
          size_t o = size_t(i % axis.outDim);
          i /= axis.outDim;
          if (axis.start[o] == axis.start[o + 1]) {
            std::memcpy(out, value.data(), size_t(size));
            return;
          }
          source += axis.index[size_t(axis.start[o])] * stride;
          stride *= axis.inDim;
        }
        std::memcpy(out, in + (data.isSplat() ? 0 : source * size), size_t(size));
      })};
    }
    if (!isFloat(type.dtype))
      return absl::UnimplementedError("folding a non-nearest Resize of integers");
    Shape inStrides = rowMajorStrides(data.shape());
    std::vector<int64_t> o(rank);
    // The nested sum of the reference, in double.
    std::function<double(size_t, int64_t)> level = [&](size_t d, int64_t offset) -> double {
      const ResizeAxis &axis = plan.axes[d];
      int64_t begin = axis.start[size_t(o[d])], end = axis.start[size_t(o[d]) + 1];
      if (begin == end)
        return plan.extrapolation;
      double sum = 0;
      for (int64_t k = begin; k < end; ++k) {
        int64_t at = offset + axis.index[size_t(k)] * inStrides[d];
        double v = d + 1 == rank ? data.doubleAt(data.isSplat() ? 0 : at) : level(d + 1, at);
        sum += axis.weight[size_t(k)] * v;
      }
      return sum;
    };
    Tensor result = buildTensor(type, [&](int64_t i, uint8_t *out) {
      for (size_t d = rank; d-- > 0;) {
        o[d] = i % type.shape[d];
        i /= type.shape[d];
      }
      storeDoubleElement(type.dtype, out, rank ? level(0, 0) : data.doubleAt(0));
    });
    return TensorList{std::move(result)};
  }

  /// A resize that maps every element to itself (weight 1, so linear and
  /// cubic too) changes nothing.
  bool isView(const Node &node, unsigned) const override { return isIdentity(node); }
  bool isIdentity(const Node &node) const override {
    if (node.result(0)->type() != node.operand(0)->type())
      return false;
    absl::StatusOr<ResizePlan> plan = resolveResize(node, opsetOf(node));
    return plan.ok() && llvm::all_of(plan->axes, isIdentityAxis);
  }

private:
  /// The memory-behaviour hooks get no opset; the operands and attributes
  /// say enough: the legacy forms have 1-2 inputs and no
  /// coordinate_transformation_mode, so they read as opset 10 (Resize) or
  /// 7 / 9 (Upsample); anything else reads as the newest form.
  static int64_t opsetOf(const Node &node) {
    if (node.opType() == "Upsample")
      return node.numOperands() > 1 ? 9 : 7;
    if (node.numOperands() <= 2)
      return 10;
    return 19;
  }
};

} // namespace

bool isIdentityAxis(const ResizeAxis &axis) {
  if (axis.inDim != axis.outDim)
    return false;
  for (int64_t o = 0; o < axis.outDim; ++o)
    if (axis.start[size_t(o) + 1] != o + 1 || axis.index[size_t(o)] != o ||
        axis.weight[size_t(o)] != 1)
      return false;
  return true;
}

absl::StatusOr<ResizePlan> resolveResize(const Node &node, int64_t opset) {
  const TensorType &data = node.operand(0)->type();
  TP_ASSIGN_OR_RETURN(Params p, resolveParams(node, opset));
  ResizePlan plan;
  plan.nearest = p.mode == Mode::Nearest;
  plan.extrapolation = p.extrapolation;
  plan.outShape = p.outShape;
  for (size_t axis = 0; axis < p.outShape.size(); ++axis) {
    TP_ASSIGN_OR_RETURN(ResizeAxis taps, axisTaps(p, axis, data.shape[axis], p.outShape[axis]));
    plan.axes.push_back(std::move(taps));
  }
  if (plan.nearest)
    for (const ResizeAxis &axis : plan.axes)
      for (size_t o = 0; o < size_t(axis.outDim); ++o) {
        int64_t count = axis.start[o + 1] - axis.start[o];
        if (count > 1 || (count == 1 && axis.weight[size_t(axis.start[o])] != 1))
          return absl::UnimplementedError(
              "mode nearest with exclude_outside weighting several inputs is not supported");
      }
  if (!plan.nearest && !isFloat(data.dtype))
    return absl::UnimplementedError(absl::StrCat(
        "modes linear and cubic of ", dtypeName(data.dtype).str(), " data are not supported"));
  return plan;
}

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<ResizeOp>("Resize", 4));
  registry.add(std::make_unique<ResizeOp>("Upsample", 2));
}

} // namespace tinyplan
