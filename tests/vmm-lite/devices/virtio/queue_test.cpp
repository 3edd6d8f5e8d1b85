// The virtqueue under a lying driver: error cases first, one line each.
#include "vmm-lite/devices/virtio/queue.h"

#include <gtest/gtest.h>

#include <functional>

#include "tests/vmm-lite/devices/virtio/virtqueue_rig.h"

namespace edgeward::vmm {
namespace {

using test::VirtqueueRig;
using R = VirtqueueRig;

struct Lie {
  const char* name;
  std::function<void(VirtqueueRig&)> setup;
  const char* says;
};

void PrintTo(const Lie& l, std::ostream* os) { *os << l.name; }

class QueueLies : public ::testing::TestWithParam<Lie> {};

TEST_P(QueueLies, PopRefusesWithAReason) {
  VirtqueueRig rig;
  GetParam().setup(rig);
  auto r = rig.q.pop(rig.mem);
  ASSERT_FALSE(r.ok()) << GetParam().name;
  EXPECT_NE(r.error().message.find(GetParam().says), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Virtqueue, QueueLies,
    ::testing::Values(
        Lie{"loop", [](R& r) { r.desc(0, R::kBuffers, 16, R::kNext, 1); r.desc(1, R::kBuffers, 16, R::kNext, 0); r.publish(0); }, "loops"},
        Lie{"self_loop", [](R& r) { r.desc(3, R::kBuffers, 16, R::kNext, 3); r.publish(3); }, "loops"},
        Lie{"head_out_of_range", [](R& r) { r.publish(8); }, "names descriptor 8"},
        Lie{"next_out_of_range", [](R& r) { r.desc(0, R::kBuffers, 16, R::kNext, 9); r.publish(0); }, "past the queue"},
        Lie{"avail_idx_lies", [](R& r) { r.desc(0, R::kBuffers, 16, 0); r.publish(0, 9); }, "available buffers"},
        Lie{"buffer_outside_ram", [](R& r) { r.desc(0, 0x200000, 16, 0); r.publish(0); }, "outside guest RAM"},
        Lie{"buffer_wraps", [](R& r) { r.desc(0, ~0ull - 8, 64, 0); r.publish(0); }, "outside guest RAM"},
        Lie{"length_past_ram", [](R& r) { r.desc(0, 0xff000, 0x2000, 0); r.publish(0); }, "outside guest RAM"},
        Lie{"indirect", [](R& r) { r.desc(0, R::kBuffers, 16, R::kIndirect); r.publish(0); }, "indirect"},
        Lie{"read_after_write", [](R& r) { r.desc(0, R::kBuffers, 16, R::kWrite | R::kNext, 1); r.desc(1, R::kBuffers, 16, 0); r.publish(0); },
            "readable descriptor after a writable"}),
    [](const ::testing::TestParamInfo<Lie>& i) { return std::string(i.param.name); });

TEST(Queue, ValidateRefusesBadConfiguration) {
  VirtqueueRig rig;
  rig.q.size = 3;
  EXPECT_FALSE(rig.q.validate(rig.mem).ok());
  rig.q.size = 512;
  EXPECT_FALSE(rig.q.validate(rig.mem).ok());
  rig.q.size = 8;
  rig.q.desc_gpa = 0x1008;  // misaligned
  EXPECT_FALSE(rig.q.validate(rig.mem).ok());
  rig.q.desc_gpa = 0xffff0;  // table runs past RAM
  EXPECT_FALSE(rig.q.validate(rig.mem).ok());
  rig.q.desc_gpa = R::kDesc;
  EXPECT_TRUE(rig.q.validate(rig.mem).ok());
}

TEST(Queue, PopsChainsInOrderAndPublishesUsed) {
  VirtqueueRig rig;
  rig.desc(0, R::kBuffers, 16, R::kNext, 5);
  rig.desc(5, R::kBuffers + 16, 512, R::kWrite);
  rig.publish(0);
  rig.desc(2, R::kBuffers + 1024, 8, 0);
  rig.publish(2);

  auto first = rig.q.pop(rig.mem);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->head, 0);
  ASSERT_EQ((*first)->segments.size(), 2u);
  EXPECT_FALSE((*first)->segments[0].device_writable);
  EXPECT_TRUE((*first)->segments[1].device_writable);
  EXPECT_EQ((*first)->segments[1].len, 512u);
  auto second = rig.q.pop(rig.mem);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->head, 2);
  auto none = rig.q.pop(rig.mem);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  ASSERT_TRUE(rig.q.push_used(rig.mem, 0, 513).ok());
  EXPECT_EQ(rig.used_idx(), 1);
  EXPECT_EQ(rig.used_len(0), 513u);
}

TEST(Queue, RingIndexesWrapAround) {
  VirtqueueRig rig;
  rig.desc(0, R::kBuffers, 16, 0);
  for (int i = 0; i < 70000; ++i) {  // past 65535: the 16-bit indexes wrap
    rig.publish(0);
    auto c = rig.q.pop(rig.mem);
    ASSERT_TRUE(c.ok() && c->has_value()) << "at " << i;
    ASSERT_TRUE(rig.q.push_used(rig.mem, 0, 0).ok());
  }
  EXPECT_EQ(rig.used_idx(), static_cast<uint16_t>(70000));
}

}  // namespace
}  // namespace edgeward::vmm
