#include "common/board/labels.h"

#include <gtest/gtest.h>

namespace edgeward::board {
namespace {

TEST(Labels, RejectsBadKeys) {
  for (const char* k : {"", "/name", "a/b/c", "UPPER.io/x", "-lead", "trail-", "sp ace", "x/",
                        "a/this-name-is-far-too-long-for-a-kubernetes-label-name-segment-xx"}) {
    EXPECT_FALSE(label_key_problem(k).empty()) << k;
  }
}

TEST(Labels, AcceptsGoodKeys) {
  for (const char* k : {"zone", "kubernetes.io/arch", "node-role.kubernetes.io/edge", "a.b-c/D_e.F"}) {
    EXPECT_EQ(label_key_problem(k), "") << k;
  }
}

TEST(Labels, Values) {
  EXPECT_EQ(label_value_problem(""), "");
  EXPECT_EQ(label_value_problem("arm64"), "");
  EXPECT_FALSE(label_value_problem("a b").empty());
  EXPECT_FALSE(label_value_problem("-x").empty());
  EXPECT_FALSE(label_value_problem(std::string(64, 'a')).empty());
}

}  // namespace
}  // namespace edgeward::board
