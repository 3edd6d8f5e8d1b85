// Kubelet's well-known labels join the board's: added when missing, never overriding the board,
// and an unusable host name is left out rather than producing an invalid label.
#include "runtime/k8s/node_labels.h"

#include <gtest/gtest.h>

namespace edgeward::k8s {
namespace {

TEST(NodeLabels, AddsKubeletLabels) {
  board::Board b;
  b.labels = {{"edgeward.io/board", "rpi4"}};
  struct Case {
    const char* hostname;
    const char* want_hostname_label;  // nullptr: no label
  };
  const Case cases[] = {
      {"", nullptr},                   // unknown
      {"-bad-", nullptr},              // not a label value
      {"host name", nullptr},          // space
      {"Edge-Node-7", "edge-node-7"},  // lowercased, as the kubelet does
  };
  for (const Case& c : cases) {
    const board::Board n = with_kubelet_labels(b, c.hostname);
    ASSERT_NE(n.label("kubernetes.io/os"), nullptr) << c.hostname;
    EXPECT_EQ(*n.label("kubernetes.io/os"), "linux");
    EXPECT_EQ(*n.label("edgeward.io/board"), "rpi4");
    const std::string* h = n.label("kubernetes.io/hostname");
    if (c.want_hostname_label) {
      ASSERT_NE(h, nullptr) << c.hostname;
      EXPECT_EQ(*h, c.want_hostname_label);
    } else {
      EXPECT_EQ(h, nullptr) << c.hostname;
    }
  }
}

TEST(NodeLabels, BoardLabelsWin) {
  board::Board b;
  b.labels = {{"kubernetes.io/os", "linux-rt"}, {"kubernetes.io/hostname", "gateway"}};
  const board::Board n = with_kubelet_labels(b, "other");
  EXPECT_EQ(n.labels.size(), 2u);
  EXPECT_EQ(*n.label("kubernetes.io/hostname"), "gateway");
  EXPECT_EQ(*n.label("kubernetes.io/os"), "linux-rt");
}

}  // namespace
}  // namespace edgeward::k8s
