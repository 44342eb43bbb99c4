//===- ImporterTest.cpp - Initializer encodings, Constant forms, checks ---===//
//
// Builds ModelProtos in memory, one feature at a time, and checks what the
// importer makes of them: every tensor encoding, every Constant attribute
// form, external data and its confinement, versions and symbolic dims.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Import/Importer.h"

#include "../GraphTestUtils.h"
#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "onnx/onnx_pb.h"
#include <fstream>

using namespace tinyplan;

namespace {

/// A model computing y = Relu(x) for x: f32[2], plus whatever a test adds;
/// extra constants become graph outputs so they survive import.
struct ModelBuilder {
  onnx::ModelProto model;
  onnx::GraphProto *graph;

  ModelBuilder(int64_t irVersion = 8, int64_t opset = 13) {
    model.set_ir_version(irVersion);
    auto *opsetImport = model.add_opset_import();
    opsetImport->set_domain("");
    opsetImport->set_version(opset);
    graph = model.mutable_graph();
    graph->set_name("test");
    addInput("x", onnx::TensorProto::FLOAT, {2});
    auto *node = graph->add_node();
    node->set_name("relu");
    node->set_op_type("Relu");
    node->add_input("x");
    node->add_output("y");
    addOutput("y");
  }

  onnx::ValueInfoProto *addInput(const std::string &name, int elemType,
                                 std::vector<std::variant<int64_t, std::string>> dims) {
    auto *input = graph->add_input();
    input->set_name(name);
    auto *tensorType = input->mutable_type()->mutable_tensor_type();
    tensorType->set_elem_type(elemType);
    auto *shape = tensorType->mutable_shape();
    for (const auto &dim : dims) {
      auto *d = shape->add_dim();
      if (std::holds_alternative<int64_t>(dim))
        d->set_dim_value(std::get<int64_t>(dim));
      else
        d->set_dim_param(std::get<std::string>(dim));
    }
    return input;
  }

  void addOutput(const std::string &name) { graph->add_output()->set_name(name); }

  onnx::TensorProto *addInitializer(const std::string &name, int dataType,
                                    std::vector<int64_t> dims) {
    auto *tensor = graph->add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(dataType);
    for (int64_t dim : dims)
      tensor->add_dims(dim);
    addOutput(name);
    return tensor;
  }

  absl::StatusOr<std::unique_ptr<Graph>> import(const std::string &baseDir = ".",
                                                ImportOptions options = {}) {
    std::string bytes;
    model.SerializeToString(&bytes);
    return importModelBuffer(bytes, /*isText=*/false, baseDir, options);
  }
};


TEST(ImporterTest, RawDataIsLittleEndianBytes) {
  ModelBuilder builder;
  float values[3] = {1.5f, -2.0f, 0.25f};
  builder.addInitializer("w", onnx::TensorProto::FLOAT, {3})
      ->set_raw_data(std::string(reinterpret_cast<char *>(values), 12));
  auto graph = builder.import();
  ASSERT_TRUE(graph.ok()) << graph.status();
  const Value *w = findValue(**graph, "w");
  ASSERT_TRUE(w && w->isConstant());
  EXPECT_EQ(w->type().str(), "f32[3]");
  EXPECT_EQ(w->constant()->doubleAt(0), 1.5);
  EXPECT_EQ(w->constant()->doubleAt(1), -2.0);
  EXPECT_EQ(w->constant()->doubleAt(2), 0.25);
}

TEST(ImporterTest, TypedFieldsForEveryDType) {
  ModelBuilder builder;
  auto *f = builder.addInitializer("f", onnx::TensorProto::FLOAT, {2});
  f->add_float_data(3.0f);
  f->add_float_data(-1.0f);
  auto *d = builder.addInitializer("d", onnx::TensorProto::DOUBLE, {1});
  d->add_double_data(0.1);
  auto *i8 = builder.addInitializer("i8", onnx::TensorProto::INT8, {2});
  i8->add_int32_data(-128);
  i8->add_int32_data(127);
  auto *u8 = builder.addInitializer("u8", onnx::TensorProto::UINT8, {1});
  u8->add_int32_data(200);
  auto *i16 = builder.addInitializer("i16", onnx::TensorProto::INT16, {1});
  i16->add_int32_data(-300);
  auto *h = builder.addInitializer("h", onnx::TensorProto::FLOAT16, {1});
  h->add_int32_data(0x3c00); // 1.0 as a half bit pattern
  auto *b = builder.addInitializer("b", onnx::TensorProto::BOOL, {2});
  b->add_int32_data(1);
  b->add_int32_data(0);
  auto *i32 = builder.addInitializer("i32", onnx::TensorProto::INT32, {1});
  i32->add_int32_data(-7);
  auto *i64 = builder.addInitializer("i64", onnx::TensorProto::INT64, {2});
  i64->add_int64_data(int64_t(1) << 40);
  i64->add_int64_data(-1);
  auto *u32 = builder.addInitializer("u32", onnx::TensorProto::UINT32, {1});
  u32->add_uint64_data(4000000000u);
  auto *u64 = builder.addInitializer("u64", onnx::TensorProto::UINT64, {1});
  u64->add_uint64_data(5);

  auto graph = builder.import();
  ASSERT_TRUE(graph.ok()) << graph.status();
  auto at = [&](const char *name, int64_t i) {
    return findValue(**graph, name)->constant()->doubleAt(i);
  };
  EXPECT_EQ(at("f", 0), 3.0);
  EXPECT_EQ(at("f", 1), -1.0);
  EXPECT_EQ(at("d", 0), 0.1);
  EXPECT_EQ(at("i8", 0), -128);
  EXPECT_EQ(at("i8", 1), 127);
  EXPECT_EQ(at("u8", 0), 200);
  EXPECT_EQ(at("i16", 0), -300);
  EXPECT_EQ(at("h", 0), 1.0);
  EXPECT_EQ(at("b", 0), 1);
  EXPECT_EQ(at("b", 1), 0);
  EXPECT_EQ(at("i32", 0), -7);
  EXPECT_EQ(findValue(**graph, "i64")->constant()->intAt(0), int64_t(1) << 40);
  EXPECT_EQ(at("i64", 1), -1);
  EXPECT_EQ(at("u32", 0), 4000000000.0);
  EXPECT_EQ(at("u64", 0), 5);
  EXPECT_EQ(findValue(**graph, "h")->type().str(), "f16[1]");
  EXPECT_EQ(findValue(**graph, "b")->type().str(), "bool[2]");
}

TEST(ImporterTest, ShortRawDataAndWrongValueCountsAreErrors) {
  {
    ModelBuilder builder;
    builder.addInitializer("w", onnx::TensorProto::FLOAT, {2, 2})->set_raw_data("abcdefghijkl");
    EXPECT_EQ(builder.import().status().message(),
              "initializer 'w': raw_data has 12 bytes, but f32[2,2] needs 16");
  }
  {
    ModelBuilder builder;
    builder.addInitializer("w", onnx::TensorProto::INT64, {3})->add_int64_data(1);
    EXPECT_EQ(builder.import().status().message(),
              "initializer 'w': has 1 values, but i64[3] needs 3");
  }
  {
    ModelBuilder builder;
    builder.addInitializer("w", onnx::TensorProto::STRING, {1})->add_string_data("x");
    EXPECT_EQ(builder.import().status().message(),
              "initializer 'w': string tensors are not supported");
  }
}

TEST(ImporterTest, UnusedInitializersAreIgnoredEvenWhenBroken) {
  ModelBuilder builder;
  auto *bad = builder.graph->add_initializer();
  bad->set_name("unused");
  bad->set_data_type(onnx::TensorProto::FLOAT);
  bad->add_dims(1000);
  bad->set_raw_data("short");
  auto graph = builder.import();
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ(findValue(**graph, "unused"), nullptr);
}

TEST(ImporterTest, InputsThatAreInitializersBecomeConstants) {
  ModelBuilder builder;
  builder.addInput("w", onnx::TensorProto::FLOAT, {1});
  builder.addInitializer("w", onnx::TensorProto::FLOAT, {1})->add_float_data(4.0f);
  auto graph = builder.import();
  ASSERT_TRUE(graph.ok()) << graph.status();
  ASSERT_EQ((*graph)->inputs().size(), 1u);
  EXPECT_EQ((*graph)->inputs()[0]->name(), "x");
  EXPECT_TRUE(findValue(**graph, "w")->isConstant());
}

TEST(ImporterTest, ConstantNodeForms) {
  ModelBuilder builder;
  auto addConstant = [&](const std::string &output) {
    auto *node = builder.graph->add_node();
    node->set_op_type("Constant");
    node->add_output(output);
    builder.addOutput(output);
    return node->add_attribute();
  };
  auto *tensorAttr = addConstant("t");
  tensorAttr->set_name("value");
  tensorAttr->set_type(onnx::AttributeProto::TENSOR);
  tensorAttr->mutable_t()->set_data_type(onnx::TensorProto::INT64);
  tensorAttr->mutable_t()->add_dims(2);
  tensorAttr->mutable_t()->add_int64_data(3);
  tensorAttr->mutable_t()->add_int64_data(4);
  auto *f = addConstant("f");
  f->set_name("value_float");
  f->set_type(onnx::AttributeProto::FLOAT);
  f->set_f(2.5f);
  auto *fs = addConstant("fs");
  fs->set_name("value_floats");
  fs->set_type(onnx::AttributeProto::FLOATS);
  fs->add_floats(1.0f);
  fs->add_floats(2.0f);
  auto *i = addConstant("i");
  i->set_name("value_int");
  i->set_type(onnx::AttributeProto::INT);
  i->set_i(-9);
  auto *is = addConstant("is");
  is->set_name("value_ints");
  is->set_type(onnx::AttributeProto::INTS);
  is->add_ints(5);

  auto graph = builder.import();
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ(findValue(**graph, "t")->type().str(), "i64[2]");
  EXPECT_EQ(findValue(**graph, "t")->constant()->toInt64s(), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(findValue(**graph, "f")->type().str(), "f32[]");
  EXPECT_EQ(findValue(**graph, "f")->constant()->doubleAt(0), 2.5);
  EXPECT_EQ(findValue(**graph, "fs")->type().str(), "f32[2]");
  EXPECT_EQ(findValue(**graph, "i")->type().str(), "i64[]");
  EXPECT_EQ(findValue(**graph, "i")->constant()->intAt(0), -9);
  EXPECT_EQ(findValue(**graph, "is")->constant()->toInt64s(), (std::vector<int64_t>{5}));
  // Constants are values, not nodes.
  EXPECT_EQ((*graph)->numNodes(), 1u);
}

class ExternalDataTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> path;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tinyplan-ext", path));
    root = std::string(path);
    modelDir = root + "/model";
    ASSERT_FALSE(llvm::sys::fs::create_directory(modelDir));
    float values[4] = {9.0f, 1.0f, 2.0f, 3.0f};
    std::ofstream(modelDir + "/weights.bin", std::ios::binary)
        .write(reinterpret_cast<char *>(values), 16);
    std::ofstream(root + "/outside.bin", std::ios::binary)
        .write(reinterpret_cast<char *>(values), 16);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(root); }

  absl::StatusOr<std::unique_ptr<Graph>>
  importWith(std::vector<std::pair<std::string, std::string>> entries,
             int64_t count = 3) {
    ModelBuilder builder;
    auto *w = builder.addInitializer("w", onnx::TensorProto::FLOAT, {count});
    w->set_data_location(onnx::TensorProto::EXTERNAL);
    for (auto &[key, value] : entries) {
      auto *entry = w->add_external_data();
      entry->set_key(key);
      entry->set_value(value);
    }
    return builder.import(modelDir);
  }

  std::string root, modelDir;
};

TEST_F(ExternalDataTest, HonoursOffsetAndLength) {
  auto graph = importWith({{"location", "weights.bin"}, {"offset", "4"}, {"length", "12"}});
  ASSERT_TRUE(graph.ok()) << graph.status();
  const Tensor *w = findValue(**graph, "w")->constant();
  EXPECT_EQ(w->doubleAt(0), 1.0);
  EXPECT_EQ(w->doubleAt(2), 3.0);
}

TEST_F(ExternalDataTest, RejectsReadsPastTheEnd) {
  auto graph = importWith({{"location", "weights.bin"}, {"offset", "8"}}, 3);
  EXPECT_EQ(graph.status().message(),
            "initializer 'w': external data for offset 8 and 12 bytes runs past "
            "the end of 'weights.bin' (16 bytes)");
}

TEST_F(ExternalDataTest, RejectsPathsOutsideTheModelDirectory) {
  EXPECT_EQ(importWith({{"location", root + "/outside.bin"}}).status().message(),
            "initializer 'w': external data location '" + root +
                "/outside.bin' is an absolute path; it must be relative to the "
                "model's directory");
  EXPECT_EQ(importWith({{"location", "../outside.bin"}}).status().message(),
            "initializer 'w': external data location '../outside.bin' escapes the "
            "model's directory");
  ASSERT_FALSE(llvm::sys::fs::create_link(root + "/outside.bin", modelDir + "/link.bin"));
  EXPECT_EQ(importWith({{"location", "link.bin"}}).status().message(),
            "initializer 'w': external data location 'link.bin' resolves outside "
            "the model's directory");
}

TEST(ImporterTest, VersionChecks) {
  EXPECT_EQ(ModelBuilder(2, 13).import().status().message(),
            "IR version 2 is not supported (supported: 3 to 13)");
  EXPECT_EQ(ModelBuilder(14, 13).import().status().message(),
            "IR version 14 is not supported (supported: 3 to 13)");
  EXPECT_EQ(ModelBuilder(8, 0).import().status().message(),
            "opset 0 of the default domain is not supported (supported: 1 to 25)");
  EXPECT_EQ(ModelBuilder(8, 26).import().status().message(),
            "opset 26 of the default domain is not supported (supported: 1 to 25)");
  EXPECT_TRUE(ModelBuilder(3, 1).import().ok());
  EXPECT_TRUE(ModelBuilder(3, 6).import().ok());
  EXPECT_TRUE(ModelBuilder(3, 7).import().ok());
  EXPECT_TRUE(ModelBuilder(10, 17).import().ok());
  EXPECT_TRUE(ModelBuilder(13, 25).import().ok());
}

TEST(ImporterTest, SymbolicDims) {
  ModelBuilder builder;
  builder.graph->clear_input();
  builder.addInput("x", onnx::TensorProto::FLOAT, {std::string("N"), int64_t(2)});
  std::vector<std::string> warnings;
  ImportOptions options;
  options.warn = [&](const std::string &w) { warnings.push_back(w); };
  auto graph = builder.import(".", options);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ((*graph)->inputs()[0]->type().str(), "f32[1,2]");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "input 'x' has symbolic batch dimension 'N'; using 1 "
                         "(set it with --dim N=VALUE)");

  options.dims["N"] = 4;
  warnings.clear();
  graph = builder.import(".", options);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ((*graph)->inputs()[0]->type().str(), "f32[4,2]");
  EXPECT_TRUE(warnings.empty());

  ModelBuilder inner;
  inner.graph->clear_input();
  inner.addInput("x", onnx::TensorProto::FLOAT, {int64_t(1), std::string("T")});
  EXPECT_EQ(inner.import().status().message(),
            "input 'x' has unresolved symbolic dimension 'T' at axis 1; fix it "
            "with --dim T=VALUE");
  ImportOptions fixed;
  fixed.dims["T"] = 2;
  EXPECT_TRUE(inner.import(".", fixed).ok());
}

TEST(ImporterTest, EveryUnsupportedOperatorInOneError) {
  ModelBuilder builder;
  auto add = [&](const std::string &name, const std::string &op,
                 const std::string &domain = "") {
    auto *node = builder.graph->add_node();
    node->set_name(name);
    node->set_op_type(op);
    node->set_domain(domain);
    node->add_input("y");
    node->add_output(name + "_out");
  };
  add("hardmax1", "Hardmax");
  add("norm", "LpNormalization");
  add("hardmax2", "Hardmax");
  add("q", "QLinearWhere", "com.microsoft");
  EXPECT_EQ(builder.import().status().message(),
            "unsupported operators: Hardmax (nodes 'hardmax1', 'hardmax2'), LpNormalization (node 'norm'), "
            "com.microsoft::QLinearWhere (node 'q')");
}

TEST(ImporterTest, UndefinedDuplicateAndCyclicValues) {
  {
    ModelBuilder builder;
    builder.graph->mutable_node(0)->set_input(0, "nowhere");
    EXPECT_EQ(builder.import().status().message(),
              "node 'relu' (Relu): input 'nowhere' is not defined");
  }
  {
    ModelBuilder builder;
    auto *node = builder.graph->add_node();
    node->set_name("again");
    node->set_op_type("Relu");
    node->add_input("x");
    node->add_output("y");
    EXPECT_EQ(builder.import().status().message(),
              "node 'again' (Relu): output 'y' is already produced by node 'relu' "
              "(Relu): each value must be defined once");
  }
  {
    ModelBuilder builder;
    builder.graph->mutable_node(0)->set_input(0, "z");
    auto *node = builder.graph->add_node();
    node->set_name("back");
    node->set_op_type("Relu");
    node->add_input("y");
    node->add_output("z");
    EXPECT_EQ(builder.import().status().message(),
              "graph has a cycle through nodes 'relu', 'back'");
  }
}

TEST(ImporterTest, NodesOutOfOrderAreSortedStably) {
  ModelBuilder builder;
  // Insert a producer after its consumer: z = Relu(w), w = Relu(y).
  auto *consumer = builder.graph->add_node();
  consumer->set_name("second");
  consumer->set_op_type("Relu");
  consumer->add_input("w");
  consumer->add_output("z");
  auto *producer = builder.graph->add_node();
  producer->set_name("first");
  producer->set_op_type("Relu");
  producer->add_input("y");
  producer->add_output("w");
  builder.addOutput("z");
  auto graph = builder.import();
  ASSERT_TRUE(graph.ok()) << graph.status();
  ASSERT_EQ((*graph)->numNodes(), 3u);
  EXPECT_EQ((*graph)->node(0)->name(), "relu");
  EXPECT_EQ((*graph)->node(1)->name(), "first");
  EXPECT_EQ((*graph)->node(2)->name(), "second");
}

TEST(ImporterTest, DeclaredOutputShapeMustMatchInference) {
  ModelBuilder builder;
  auto *output = builder.graph->mutable_output(0);
  auto *tensorType = output->mutable_type()->mutable_tensor_type();
  tensorType->set_elem_type(onnx::TensorProto::FLOAT);
  tensorType->mutable_shape()->add_dim()->set_dim_value(3);
  EXPECT_EQ(builder.import().status().message(),
            "node 'relu' (Relu): graph output 'y' is declared [3] but inference "
            "gives f32[2]");
}

TEST(ImporterTest, TextSyntax) {
  const char *text = R"(
    <ir_version: 8, opset_import: ["" : 13]>
    agraph (float[1, 4] x) => (float[1, 4] y) {
      y = Relu(x)
    }
  )";
  auto graph = importModelBuffer(text, /*isText=*/true, ".", {});
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ((*graph)->name(), "agraph");
  EXPECT_EQ((*graph)->node(0)->result()->type().str(), "f32[1,4]");
  EXPECT_FALSE(importModelBuffer("agraph (", true, ".", {}).ok());
}

TEST(ImporterTest, GarbageIsRejectedNotCrashedOn) {
  std::string garbage;
  uint32_t state = 12345;
  for (int i = 0; i < 4096; ++i) {
    state = state * 1103515245 + 12345;
    garbage.push_back(char(state >> 16));
  }
  EXPECT_FALSE(importModelBuffer(garbage, false, ".", {}).ok());
  EXPECT_EQ(importModelBuffer("", false, ".", {}).status().message(), "file is empty");
  // Every prefix of a valid model: an error or a graph, never a crash.
  std::string bytes;
  ModelBuilder().model.SerializeToString(&bytes);
  for (size_t length = 1; length < bytes.size(); ++length)
    (void)importModelBuffer(llvm::StringRef(bytes).take_front(length), false, ".", {});
}

} // namespace
