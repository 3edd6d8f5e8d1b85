// The virtio-mmio transport's description of itself: a `virtio,mmio` device-tree node and an
// ACPI LNRO0005 device, both at the window and on the line the platform gave it.
#include "vmm-lite/devices/virtio/virtio_mmio.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/vmm-lite/devices/description_recorder.h"
#include "tests/vmm-lite/devices/virtio/null_virtio_device.h"

namespace edgeward::vmm {
namespace {

struct Rig {
  GuestMemory mem = std::move(GuestMemory::create({{0, 0x10000}})).value();
  VirtioMmio dev{std::make_unique<test::NullVirtioDevice>(), mem, nullptr};
};

TEST(VirtioMmio, DescribesItselfToTheDeviceTree) {
  Rig rig;
  DescriptionRecorder r;
  rig.dev.describe(static_cast<DeviceTreeWriter&>(r), {Placement::Space::kMmio, 0xa003000, VirtioMmio::kWindowSize, 19, 3});
  EXPECT_EQ(r.lines, (std::vector<std::string>{"node virtio_mmio@0xa003000", "compatible = \"virtio,mmio\"",
                                               "reg mmio 0xa003000+0x1000", "interrupts 19 edge-rising", "dma-coherent",
                                               "end node"}));
}

TEST(VirtioMmio, DescribesItselfToAcpiNamedByItsInstance) {
  Rig rig;
  DescriptionRecorder r;
  rig.dev.describe(static_cast<AcpiWriter&>(r), {Placement::Space::kMmio, 0xd0000000, VirtioMmio::kWindowSize, 16, 0});
  EXPECT_EQ(r.lines, (std::vector<std::string>{"device VR00 _HID LNRO0005 _UID 0", "window mmio 0xd0000000+0x1000",
                                               "interrupt 16 edge-rising", "end device"}));
  r.lines.clear();
  rig.dev.describe(static_cast<AcpiWriter&>(r), {Placement::Space::kMmio, 0xd001a000, VirtioMmio::kWindowSize, 42, 26});
  EXPECT_EQ(r.lines.at(0), "device VR1A _HID LNRO0005 _UID 26") << "two hex digits: one name per slot";
  EXPECT_EQ(r.lines.at(2), "interrupt 42 edge-rising");
}

TEST(VirtioMmio, DescribingItLeavesTheDeviceUntouched) {
  Rig rig;
  DescriptionRecorder r;
  rig.dev.describe(static_cast<DeviceTreeWriter&>(r), {});
  rig.dev.describe(static_cast<AcpiWriter&>(r), {});
  uint8_t magic[4] = {};
  rig.dev.read(0, magic);
  EXPECT_EQ(std::string(magic, magic + 4), "virt");
  EXPECT_EQ(rig.dev.status(), 0u);
}

}  // namespace
}  // namespace edgeward::vmm
