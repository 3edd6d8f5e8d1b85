// The arm64 platform's virtio slots: the window, the KVM_IRQ_LINE number and the SPI the device
// tree names must be the same interrupt.
#include <gtest/gtest.h>

#include "vmm-lite/arch/arch.h"

namespace edgeward::vmm::arch {
namespace {

TEST(Arm64Platform, VirtioSlotsNameOneSpiToKvmAndToTheDeviceTree) {
  for (uint32_t i : {0u, 1u, 31u}) {
    auto slot = virtio_slot(i);
    ASSERT_TRUE(slot.ok()) << slot.error().message;
    EXPECT_EQ(slot->mmio_base, 0x0a000000u + i * 0x1000) << i;
    EXPECT_EQ(slot->irq, 16 + i) << "SPI number in the device tree";
    EXPECT_EQ(slot->gsi, (1u << 24) | (32 + 16 + i)) << "KVM_ARM_IRQ_TYPE_SPI | INTID";
  }
  auto past = virtio_slot(32);
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.error().message.find("at most 32 virtio devices"), std::string::npos) << past.error().message;
}

}  // namespace
}  // namespace edgeward::vmm::arch
