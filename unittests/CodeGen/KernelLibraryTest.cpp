//===- KernelLibraryTest.cpp - Parsing and checking kernels/ ---------------===//
#include "tinyplan/CodeGen/KernelLibrary.h"

#include "gtest/gtest.h"

using namespace tinyplan;

namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> names(const std::vector<const LibraryKernel *> &kernels) {
  std::vector<std::string> result;
  for (const LibraryKernel *kernel : kernels)
    result.push_back(kernel->name);
  return result;
}

const char *kTwoKernels = R"(#include "tinyplan_kernels.h"

/* @kernel tp_sq
 * x squared. */
TP_KERNEL float tp_sq(float x) {
  return x * x;
}

/* A comment that is not a kernel. */

/* @kernel tp_quad uses tp_sq
 * @instance tp_quad_d: float=double tp_sq=tp_sq_d
 * x^4, "tp_sq" in a comment is not a use. */
TP_KERNEL float tp_quad(float x) {
  return tp_sq(tp_sq(x)) + 0.5f;
}

/* @kernel tp_sq_d */
TP_KERNEL double tp_sq_d(double x) {
  return x * x;
}
)";

TEST(KernelLibraryTest, ParsesKernelsUsesAndInstances) {
  absl::StatusOr<KernelLibrary> library = KernelLibrary::parse({{"sq.c", kTwoKernels}});
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_EQ(names(library->all()),
            (std::vector<std::string>{"tp_quad", "tp_quad_d", "tp_sq", "tp_sq_d"}));
  const LibraryKernel *quad = library->find("tp_quad");
  ASSERT_TRUE(quad);
  EXPECT_EQ(quad->uses, std::vector<std::string>{"tp_sq"});
  EXPECT_EQ(quad->file, "sq.c");
  // TP_KERNEL is static in model.c; the @instance line is not copied.
  EXPECT_NE(quad->code.find("static float tp_quad(float x) {"), std::string::npos);
  EXPECT_EQ(quad->comment.find("@instance"), std::string::npos);
  EXPECT_EQ(quad->code.back(), '\n');
  EXPECT_EQ(quad->code.substr(quad->code.size() - 2), "}\n");

  const LibraryKernel *instance = library->find("tp_quad_d");
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->prototype, "tp_quad");
  EXPECT_EQ(instance->uses, std::vector<std::string>{"tp_sq_d"});
  EXPECT_EQ(instance->code, "static double tp_quad_d(double x) {\n"
                            "  return tp_sq_d(tp_sq_d(x)) + 0.5f;\n}\n");
  EXPECT_EQ(instance->comment,
            "/* @kernel tp_quad_d: tp_quad (kernels/sq.c) with float=double tp_sq=tp_sq_d */\n");
}

TEST(KernelLibraryTest, ClosurePutsUsesFirstOnce) {
  absl::StatusOr<KernelLibrary> library = KernelLibrary::parse({{"sq.c", kTwoKernels}});
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_EQ(names(library->closure({"tp_quad", "tp_sq", "tp_quad_d", "nonsense"})),
            (std::vector<std::string>{"tp_sq", "tp_quad", "tp_sq_d", "tp_quad_d"}));
}

TEST(KernelLibraryTest, InstantiateReplacesIdentifiersOnly) {
  absl::StatusOr<KernelLibrary> library = KernelLibrary::parse({{"sq.c", kTwoKernels}});
  ASSERT_TRUE(library.ok()) << library.status();
  absl::StatusOr<LibraryKernel> made =
      library->instantiate("tp_quad", "tp_quad_twice", {{"tp_sq", "tp_sq_d"}, {"float", "double"}});
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->code, "static double tp_quad_twice(double x) {\n"
                        "  return tp_sq_d(tp_sq_d(x)) + 0.5f;\n}\n");
  EXPECT_EQ(made->uses, std::vector<std::string>{"tp_sq_d"});
  EXPECT_FALSE(library->instantiate("tp_none", "x", {}).ok());
}

TEST(KernelLibraryTest, ReplacementSkipsCommentsLiteralsAndNumbers) {
  EXPECT_EQ(replaceCIdentifiers("f(1.5f, 0x1p+23f, 'f', \"f\") /* f */ // f\nf",
                                {{"f", "g"}}),
            "g(1.5f, 0x1p+23f, 'f', \"f\") /* f */ // f\ng");
  // All at once: a -> b and b -> a swap.
  EXPECT_EQ(replaceCIdentifiers("a + b", {{"a", "b"}, {"b", "a"}}), "b + a");
  EXPECT_EQ(cIdentifiers("x1 = 1e-5 + y_2; /* z */"), (std::vector<std::string>{"x1", "y_2"}));
}

TEST(KernelLibraryTest, RejectsAnInconsistentManifest) {
  auto error = [](const char *text) {
    absl::StatusOr<KernelLibrary> library = KernelLibrary::parse({{"bad.c", text}});
    return library.ok() ? std::string("ok") : std::string(library.status().message());
  };
  // A use the text does not declare.
  EXPECT_EQ(error("/* @kernel a */\nint a(void) {\n  return 1;\n}\n"
                  "/* @kernel b */\nint b(void) {\n  return a();\n}\n"),
            "kernels/bad.c: kernel b declares uses {} but mentions the kernels {a}");
  // A declared use that is not a kernel.
  EXPECT_EQ(error("/* @kernel b uses nothing */\nint b(void) {\n  return 0;\n}\n"),
            "kernels/bad.c: kernel b uses nothing, which is not a kernel");
  // A cycle.
  EXPECT_EQ(error("/* @kernel a uses b */\nint b(void);\nint a(void) {\n  return b();\n}\n"
                  "/* @kernel b uses a */\nint b(void) {\n  return a();\n}\n"),
            "kernels: the uses of a form a cycle");
  EXPECT_EQ(error("/* @kernel a */\nint a(void) {\n  return 1;\n}\n"
                  "/* @kernel a */\nint a(void) {\n  return 1;\n}\n"),
            "kernels/bad.c: kernel a is defined twice");
  EXPECT_EQ(error("/* @kernel a */\nint a(void) { return 1; }\n"),
            "kernels/bad.c:1: kernel a has no line starting with '}'");
  EXPECT_EQ(error("/* @kernal a */\nint a(void) {\n}\n"),
            "kernels/bad.c:1: unknown marker '@kernal a'");
  EXPECT_EQ(error("/* @kernel a uses */\nint a(void) {\n}\n"),
            "kernels/bad.c:1: expected '@kernel NAME [uses A B ...]'");
}

TEST(KernelLibraryTest, TheBuiltinLibraryIsConsistent) {
  const KernelLibrary &library = KernelLibrary::builtin();
  ASSERT_TRUE(library.find("tp_expf"));
  EXPECT_EQ(names(library.closure({"tp_tanhf"})),
            (std::vector<std::string>{"tp_fmaf", "tp_expf", "tp_tanhf"}));
  // The f64 sigmoid is an instance calling libm's exp: no library use.
  const LibraryKernel *sigmoid = library.find("tp_sigmoid");
  ASSERT_TRUE(sigmoid);
  EXPECT_TRUE(sigmoid->uses.empty());
  EXPECT_NE(sigmoid->code.find("exp(x < 0 ? x : -x)"), std::string::npos);
}

} // namespace
