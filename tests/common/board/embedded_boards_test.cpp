// Every shipped board parses, and the default one matches the arch this binary was built for.
#include "common/board/embedded_boards.h"

#include <gtest/gtest.h>

#include "common/board/board_parser.h"
#include "common/build_config.h"

namespace edgeward::board {
namespace {

TEST(EmbeddedBoards, AllParse) {
  ASSERT_GE(embedded_boards().size(), 3u);
  for (const EmbeddedBoard& e : embedded_boards()) {
    auto b = parse_board_xml(e.xml, e.name);
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(b->name, e.name) << "board name must match its file name";
    ASSERT_NE(b->label("kubernetes.io/arch"), nullptr) << e.name;
    EXPECT_EQ(*b->label("kubernetes.io/arch"), arch_k8s_name(b->arch)) << e.name;
  }
}

TEST(EmbeddedBoards, ShipsBothArches) {
  bool x86 = false, arm = false;
  for (const EmbeddedBoard& e : embedded_boards()) {
    auto b = parse_board_xml(e.xml, e.name);
    ASSERT_TRUE(b.ok());
    x86 = x86 || b->arch == Arch::kX86_64;
    arm = arm || b->arch == Arch::kAarch64;
  }
  EXPECT_TRUE(x86);
  EXPECT_TRUE(arm);
}

TEST(EmbeddedBoards, DefaultMatchesBuildArch) {
  auto b = resolve_board("");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->name, EDGEWARD_BOARD);
  EXPECT_EQ(arch_name(b->arch), EDGEWARD_ARCH);
}

TEST(EmbeddedBoards, UnknownNameListsKnownOnes) {
  auto b = resolve_board("no-such-board");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::kNotFound);
  EXPECT_NE(b.error().message.find("generic-x86_64"), std::string::npos) << b.error().message;
}

}  // namespace
}  // namespace edgeward::board
