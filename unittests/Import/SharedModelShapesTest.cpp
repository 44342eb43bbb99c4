//===- SharedModelShapesTest.cpp - Our inference vs libonnx's -------------===//
//
// For every model in the shared third-party corpus that tinyplan imports,
// runs libonnx's own shape inference (with data propagation, inputs fixed
// to the shapes tinyplan resolved) and compares every tensor both know.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Import/Importer.h"

#include "gtest/gtest.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "onnx/shape_inference/implementation.h"
#include <fstream>
#include <sstream>

using namespace tinyplan;

namespace {

std::vector<std::string> sharedModels() {
  std::vector<std::string> paths;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(TINYPLAN_SHARED_MODELS, ec), end;
       it != end && !ec; it.increment(ec))
    if (llvm::StringRef(it->path()).ends_with(".onnx"))
      paths.push_back(it->path());
  std::sort(paths.begin(), paths.end());
  return paths;
}

TEST(SharedModelShapesTest, AgreesWithOnnxShapeInference) {
  std::vector<std::string> paths = sharedModels();
  if (paths.empty())
    GTEST_SKIP() << "no shared models at " << TINYPLAN_SHARED_MODELS;

  int imported = 0, compared = 0, tensors = 0;
  std::vector<std::string> mismatches;
  for (const std::string &path : paths) {
    auto graph = importModelFile(path, {});
    if (!graph.ok())
      continue;
    ++imported;

    onnx::ModelProto model;
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(model.ParseFromIstream(&in)) << path;
    // libonnx 1.12 knows the default domain up to opset 17: past it, it
    // infers with older definitions (AveragePool without dilations, ...).
    bool newer = false;
    for (const auto &opset : model.opset_import())
      newer |= (opset.domain().empty() || opset.domain() == "ai.onnx") && opset.version() > 17;
    if (newer)
      continue;
    // Give libonnx the input shapes tinyplan settled on.
    llvm::StringMap<const Value *> ours;
    for (const auto &value : (*graph)->values())
      ours[value->name()] = value.get();
    for (auto &input : *model.mutable_graph()->mutable_input()) {
      auto it = ours.find(input.name());
      if (it == ours.end() || !it->second->isInput())
        continue;
      auto *shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
      shape->clear_dim();
      for (int64_t dim : it->second->type().shape)
        shape->add_dim()->set_dim_value(dim);
    }
    model.mutable_graph()->clear_value_info();
    for (auto &output : *model.mutable_graph()->mutable_output())
      output.mutable_type()->mutable_tensor_type()->clear_shape();
    try {
      onnx::ShapeInferenceOptions options(false, 0, /*data_prop=*/true);
      onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                         options);
    } catch (const std::exception &e) {
      continue; // libonnx 1.12 cannot infer this model; nothing to compare
    }
    bool any = false;
    auto compare = [&](const onnx::ValueInfoProto &info) {
      auto it = ours.find(info.name());
      if (it == ours.end() || !info.type().tensor_type().has_shape())
        return;
      const auto &dims = info.type().tensor_type().shape().dim();
      std::vector<int64_t> theirs;
      for (const auto &dim : dims) {
        if (!dim.has_dim_value())
          return; // not fully known to libonnx
        theirs.push_back(dim.dim_value());
      }
      ++tensors;
      any = true;
      const TensorType &type = it->second->type();
      if (std::vector<int64_t>(type.shape.begin(), type.shape.end()) != theirs) {
        std::ostringstream os;
        os << path << ": '" << info.name() << "' tinyplan " << type.str() << ", onnx [";
        for (size_t i = 0; i < theirs.size(); ++i)
          os << (i ? "," : "") << theirs[i];
        os << "]";
        mismatches.push_back(os.str());
      }
    };
    for (const auto &info : model.graph().value_info())
      compare(info);
    for (const auto &info : model.graph().output())
      compare(info);
    compared += any;
  }
  std::cout << "shared models: " << paths.size() << " files, " << imported
            << " imported, " << compared << " compared with libonnx, " << tensors
            << " tensor shapes compared, " << mismatches.size() << " mismatches\n";
  for (const std::string &mismatch : mismatches)
    ADD_FAILURE() << mismatch;
  EXPECT_GT(tensors, 0);
}

} // namespace
