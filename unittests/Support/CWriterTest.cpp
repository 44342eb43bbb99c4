//===- CWriterTest.cpp - Scopes and indentation of generated C -------------===//
#include "tinyplan/Support/CWriter.h"

#include "gtest/gtest.h"

using namespace tinyplan;

namespace {

TEST(CWriterTest, ScopesIndentTheirLines) {
  CWriter w;
  w.open("static void f(int32_t n)").line("int32_t i;");
  w.open("for (i = 0; i < n; ++i)").line("g(i);").close();
  w.open("if (n > 4)").line("h(4);").elseIf("n > 1").line("h(1);").orElse().line("h(0);").close();
  w.nest("if (n == 0)").line("return;").dedent();
  w.line("").close();
  EXPECT_EQ(w.str(), "static void f(int32_t n) {\n"
                     "  int32_t i;\n"
                     "  for (i = 0; i < n; ++i) {\n"
                     "    g(i);\n"
                     "  }\n"
                     "  if (n > 4) {\n"
                     "    h(4);\n"
                     "  } else if (n > 1) {\n"
                     "    h(1);\n"
                     "  } else {\n"
                     "    h(0);\n"
                     "  }\n"
                     "  if (n == 0)\n"
                     "    return;\n"
                     "\n"
                     "}\n");
  EXPECT_EQ(w.depth(), 0u);
}

TEST(CWriterTest, AppendShiftsFormattedText) {
  CWriter inner;
  inner.open("{").line("x = 1;").close();
  CWriter outer(2);
  outer.append(inner.str()).close(";");
  EXPECT_EQ(outer.str(), "    { {\n      x = 1;\n    }\n  };\n");
}

TEST(CWriterTest, DeclarationsAndCalls) {
  EXPECT_EQ(cDeclaration("float", {{"a0", "b0"}, {"a1", ""}, {"a2", "0"}}),
            "float a0 = b0, a1, a2 = 0;");
  EXPECT_EQ(cCall("tp_f", {"x", "y + 1"}), "tp_f(x, y + 1)");
  EXPECT_EQ(cCall("g", {}), "g()");
}

} // namespace
