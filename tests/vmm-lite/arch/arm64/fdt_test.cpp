// The generated device tree, parsed back with libfdt: every node the guest kernel needs is there
// with the values the VMM uses (addresses, interrupts, MPIDRs, /chosen), the platform's nodes
// written by fdt.cpp and the devices' nodes by the devices themselves (serial.cpp, virtio_mmio.cpp).
#include "vmm-lite/arch/arm64/fdt.h"

#include <gtest/gtest.h>
#include <libfdt.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "tests/vmm-lite/devices/virtio/null_virtio_device.h"
#include "vmm-lite/arch/arm64/layout.h"
#include "vmm-lite/devices/serial.h"
#include "vmm-lite/devices/virtio/virtio_mmio.h"

namespace edgeward::vmm::arm64 {
namespace {

constexpr auto kMmio = Placement::Space::kMmio;

// The devices of the machine, placed as platform.cpp places them: the UART (the console), then
// `virtio` virtio-mmio devices in consecutive slots.
std::vector<DescribedDevice> devices(size_t virtio) {
  static GuestMemory mem = std::move(GuestMemory::create({{0, 0x10000}})).value();
  std::vector<DescribedDevice> d{
      {std::make_shared<Serial>(nullptr, nullptr), {kMmio, kUartBase, kUartSize, kUartSpi, 0}, /*console=*/true}};
  for (uint32_t i = 0; i < virtio; ++i) {
    d.push_back({std::make_shared<VirtioMmio>(std::make_unique<test::NullVirtioDevice>(), mem, nullptr),
                 {kMmio, kVirtioMmioBase + i * 0x1000, VirtioMmio::kWindowSize, kVirtioFirstSpi + i, i}});
  }
  return d;
}

FdtSpec spec(int gic, uint32_t vcpus = 2) {
  FdtSpec s;
  s.ram_base = kRamBase;
  s.ram_size = 256 << 20;
  s.vcpus = vcpus;
  s.gic_version = gic;
  s.bootargs = "console=ttyS0 panic=-1";
  s.initrd_start = kRamBase + (200 << 20);
  s.initrd_end = s.initrd_start + 12345;
  s.devices = devices(2);
  s.rng_seed = std::vector<uint8_t>(32, 0x42);
  s.kaslr_seed = 0x1234567890abcdefull;
  return s;
}

class Tree {
 public:
  explicit Tree(std::vector<uint8_t> b) : b_(std::move(b)) {}
  const void* fdt() const { return b_.data(); }
  int node(const char* path) const { return fdt_path_offset(fdt(), path); }
  std::string str(const char* path, const char* prop) const {
    int len = 0;
    const void* p = fdt_getprop(fdt(), node(path), prop, &len);
    return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(len)) : "<missing>";
  }
  std::vector<uint32_t> cells(const char* path, const char* prop) const {
    int len = 0;
    const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt(), node(path), prop, &len));
    std::vector<uint32_t> v;
    for (int i = 0; p && i < len / 4; ++i) v.push_back(fdt32_to_cpu(p[i]));
    return v;
  }
  uint64_t u64(const char* path, const char* prop) const {
    auto c = cells(path, prop);
    return c.size() == 2 ? (uint64_t{c[0]} << 32) | c[1] : ~0ull;
  }
  bool has(const char* path, const char* prop) const { return fdt_getprop(fdt(), node(path), prop, nullptr) != nullptr; }

 private:
  std::vector<uint8_t> b_;
};

std::vector<uint32_t> reg(uint64_t a, uint64_t s) {
  return {static_cast<uint32_t>(a >> 32), static_cast<uint32_t>(a), static_cast<uint32_t>(s >> 32), static_cast<uint32_t>(s)};
}

TEST(Arm64Fdt, DescribesTheMachine) {
  auto blob = build_fdt(spec(3), kDtbMaxSize);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  ASSERT_EQ(fdt_check_header(blob->data()), 0);
  EXPECT_LE(blob->size(), kDtbMaxSize);
  Tree t(*blob);
  EXPECT_EQ(t.cells("/", "#address-cells"), std::vector<uint32_t>{2});
  EXPECT_EQ(t.str("/chosen", "bootargs"), std::string("console=ttyS0 panic=-1\0", 23));
  EXPECT_EQ(t.str("/chosen", "stdout-path"), std::string("/uart@9000000\0", 14));
  EXPECT_EQ(t.u64("/chosen", "linux,initrd-start"), kRamBase + (200 << 20));
  EXPECT_EQ(t.u64("/chosen", "linux,initrd-end"), kRamBase + (200 << 20) + 12345);
  EXPECT_EQ(t.str("/chosen", "rng-seed"), std::string(32, 0x42));
  EXPECT_EQ(t.u64("/chosen", "kaslr-seed"), 0x1234567890abcdefull);
  EXPECT_EQ(t.cells("/memory@80000000", "reg"), reg(kRamBase, 256 << 20));
  EXPECT_EQ(t.str("/memory@80000000", "device_type"), std::string("memory\0", 7));
  for (const char* cpu : {"/cpus/cpu@0", "/cpus/cpu@1"}) {
    EXPECT_EQ(t.str(cpu, "enable-method"), std::string("psci\0", 5)) << cpu;
  }
  EXPECT_EQ(t.cells("/cpus/cpu@1", "reg"), std::vector<uint32_t>{1});
  EXPECT_LT(t.node("/cpus/cpu@2"), 0) << "only the vCPUs that exist";
  EXPECT_EQ(t.str("/psci", "method"), std::string("hvc\0", 4));
  EXPECT_EQ(t.str("/psci", "compatible"), std::string("arm,psci-0.2\0arm,psci\0", 22));
  EXPECT_EQ(t.str("/intc@8000000", "compatible"), std::string("arm,gic-v3\0", 11));
  auto gic_reg = reg(kGicDistBase, kGicDistSize);
  auto redist = reg(kGicRedistBase, 2 * kGicRedistSize);
  gic_reg.insert(gic_reg.end(), redist.begin(), redist.end());
  EXPECT_EQ(t.cells("/intc@8000000", "reg"), gic_reg);
  EXPECT_TRUE(t.has("/intc@8000000", "interrupt-controller"));
  const uint32_t gic_phandle = fdt_get_phandle(t.fdt(), t.node("/intc@8000000"));
  EXPECT_NE(gic_phandle, 0u);
  EXPECT_EQ(t.cells("/", "interrupt-parent"), std::vector<uint32_t>{gic_phandle});
  EXPECT_EQ(t.cells("/timer", "interrupts"), (std::vector<uint32_t>{1, 13, 8, 1, 14, 8, 1, 11, 8, 1, 10, 8}));
  EXPECT_EQ(t.str("/uart@9000000", "compatible"), std::string("ns16550a\0", 9));
  EXPECT_EQ(t.cells("/uart@9000000", "reg"), reg(kUartBase, kUartSize));
  EXPECT_EQ(t.cells("/uart@9000000", "interrupts"), (std::vector<uint32_t>{0, kUartSpi, 1}));
  EXPECT_TRUE(t.has("/uart@9000000", "clock-frequency"));
  EXPECT_EQ(t.cells("/virtio_mmio@a001000", "reg"), reg(kVirtioMmioBase + 0x1000, 0x1000));
  EXPECT_EQ(t.cells("/virtio_mmio@a001000", "interrupts"), (std::vector<uint32_t>{0, kVirtioFirstSpi + 1, 1}));
  EXPECT_TRUE(t.has("/virtio_mmio@a001000", "dma-coherent"));
  EXPECT_EQ(t.str("/virtio_mmio@a000000", "compatible"), std::string("virtio,mmio\0", 12));
}

TEST(Arm64Fdt, GicV2HasACpuInterfaceAndCpuMasks) {
  auto blob = build_fdt(spec(2, 3), kDtbMaxSize);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  Tree t(*blob);
  EXPECT_EQ(t.str("/intc@8000000", "compatible"), std::string("arm,cortex-a15-gic\0", 19));
  auto gic_reg = reg(kGicDistBase, 0x1000);
  auto cpu = reg(kGicCpuBase, kGicCpuSize);
  gic_reg.insert(gic_reg.end(), cpu.begin(), cpu.end());
  EXPECT_EQ(t.cells("/intc@8000000", "reg"), gic_reg);
  EXPECT_EQ(t.cells("/timer", "interrupts")[2], 8u | (0x7u << 8)) << "three CPUs in the PPI mask";
}

TEST(Arm64Fdt, OptionalPartsAreLeftOutAndLimitsHold) {
  FdtSpec s = spec(3, 20);
  s.initrd_start = s.initrd_end = 0;
  s.rng_seed.clear();
  s.kaslr_seed = 0;
  auto blob = build_fdt(s, kDtbMaxSize);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  Tree t(*blob);
  EXPECT_FALSE(t.has("/chosen", "linux,initrd-start"));
  EXPECT_FALSE(t.has("/chosen", "rng-seed"));
  EXPECT_FALSE(t.has("/chosen", "kaslr-seed"));
  EXPECT_EQ(t.cells("/cpus/cpu@101", "reg"), std::vector<uint32_t>{0x101}) << "vCPU 17: Aff1 = 1, Aff0 = 1";

  s.bootargs = std::string(100000, 'x');  // grows the buffer past its first size
  ASSERT_TRUE(build_fdt(s, kDtbMaxSize).ok());
  auto too_big = build_fdt(s, 4096);
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.error().message.find("does not fit"), std::string::npos) << too_big.error().message;
  s.gic_version = 4;
  EXPECT_FALSE(build_fdt(s, kDtbMaxSize).ok());
}

// The whole tree, every node and property in order, as libfdt reads it back, against a listing
// written from the machine's documented map (literal addresses and interrupts, not the layout
// constants): a wrong reg, SPI, flag or a missing, extra or reordered property fails here. It is
// the listing of the tree the pre-interface fdt.cpp wrote for this machine (byte-identical blob).
using Listing = std::vector<std::pair<std::string, std::string>>;  // ("path:property", hex bytes)

std::string hex_bytes(const void* p, size_t n) {
  std::string out;
  char b[4];
  for (size_t i = 0; i < n; ++i) std::snprintf(b, sizeof b, "%02x", static_cast<const uint8_t*>(p)[i]), out += b;
  return out;
}

Listing read_back(const void* fdt) {
  Listing out;
  int depth = 0;
  for (int node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
    char path[256];
    EXPECT_EQ(fdt_get_path(fdt, node, path, sizeof path), 0);
    out.emplace_back(path, "(node)");
    int prop = 0;
    fdt_for_each_property_offset(prop, fdt, node) {
      const char* name = nullptr;
      int len = 0;
      const void* v = fdt_getprop_by_offset(fdt, prop, &name, &len);
      out.emplace_back(std::string(path) + ":" + name, hex_bytes(v, static_cast<size_t>(len)));
    }
  }
  return out;
}

// Reports the first entry that differs (the whole listing is too long to read in a failure).
void expect_same(const Listing& got, const Listing& want) {
  for (size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    const auto g = i < got.size() ? got[i] : std::pair<std::string, std::string>("(nothing)", "");
    const auto w = i < want.size() ? want[i] : std::pair<std::string, std::string>("(nothing)", "");
    if (g != w) {
      ADD_FAILURE() << "entry " << i << ": the tree has " << g.first << " = " << g.second << ", expected " << w.first
                    << " = " << w.second;
      return;
    }
  }
}

struct Expect {
  Listing l;
  std::string path;
  void node(std::string p) { path = p, l.emplace_back(p, "(node)"); }
  void raw(const char* prop, const std::string& bytes) { l.emplace_back(path + ":" + prop, hex_bytes(bytes.data(), bytes.size())); }
  void str(const char* prop, std::string v) { raw(prop, v.append(1, '\0')); }
  void flag(const char* prop) { raw(prop, ""); }
  void cells(const char* prop, std::vector<uint32_t> v) {
    std::string b;
    for (uint32_t c : v) b += {char(c >> 24), char(c >> 16), char(c >> 8), char(c)};
    raw(prop, b);
  }
  void u64(const char* prop, uint64_t v) { cells(prop, {uint32_t(v >> 32), uint32_t(v)}); }
};

TEST(Arm64Fdt, WholeTreeOfAMachineWithSerialAndThreeVirtioDevices) {
  FdtSpec s = spec(3);
  s.devices = devices(3);
  auto blob = build_fdt(s, kDtbMaxSize);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  ASSERT_EQ(fdt_check_header(blob->data()), 0);
  EXPECT_EQ(fdt_num_mem_rsv(blob->data()), 0);
  EXPECT_EQ(fdt_totalsize(blob->data()), blob->size()) << "packed";

  Expect e;
  e.node("/");
  e.str("compatible", "linux,dummy-virt");
  e.cells("#address-cells", {2});
  e.cells("#size-cells", {2});
  e.cells("interrupt-parent", {1});
  e.node("/chosen");
  e.str("bootargs", "console=ttyS0 panic=-1");
  e.str("stdout-path", "/uart@9000000");
  e.u64("linux,initrd-start", 0x8c800000);
  e.u64("linux,initrd-end", 0x8c800000 + 12345);
  e.raw("rng-seed", std::string(32, 0x42));
  e.u64("kaslr-seed", 0x1234567890abcdef);
  e.node("/memory@80000000");
  e.str("device_type", "memory");
  e.cells("reg", {0, 0x80000000, 0, 0x10000000});
  e.node("/cpus");
  e.cells("#address-cells", {1});
  e.cells("#size-cells", {0});
  for (uint32_t cpu : {0, 1}) {
    e.node("/cpus/cpu@" + std::to_string(cpu));
    e.str("device_type", "cpu");
    e.str("compatible", "arm,arm-v8");
    e.str("enable-method", "psci");
    e.cells("reg", {cpu});
  }
  e.node("/psci");
  e.raw("compatible", std::string("arm,psci-0.2\0arm,psci\0", 22));
  e.str("method", "hvc");
  e.node("/intc@8000000");
  e.str("compatible", "arm,gic-v3");
  e.cells("reg", {0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x40000});
  e.cells("#interrupt-cells", {3});
  e.flag("interrupt-controller");
  e.cells("phandle", {1});
  e.node("/timer");
  e.str("compatible", "arm,armv8-timer");
  e.cells("interrupts", {1, 13, 8, 1, 14, 8, 1, 11, 8, 1, 10, 8});
  e.flag("always-on");
  e.node("/uart@9000000");  // SPI 1, rising edge
  e.str("compatible", "ns16550a");
  e.cells("reg", {0, 0x9000000, 0, 8});
  e.cells("clock-frequency", {1843200});
  e.cells("interrupts", {0, 1, 1});
  for (uint32_t i = 0; i < 3; ++i) {  // SPIs 16, 17, 18, rising edge
    char name[32];
    std::snprintf(name, sizeof name, "/virtio_mmio@a00%u000", i);
    e.node(name);
    e.str("compatible", "virtio,mmio");
    e.cells("reg", {0, 0xa000000 + i * 0x1000, 0, 0x1000});
    e.cells("interrupts", {0, 16 + i, 1});
    e.flag("dma-coherent");
  }
  expect_same(read_back(blob->data()), e.l);
}

// A device that leaves its node open, or a window a device tree cannot hold, fails the tree.
class OpenNode final : public FirmwareDescribed {
 public:
  void describe(DeviceTreeWriter& out, const Placement& where) const override { out.begin_node("broken", where.base); }
  void describe(AcpiWriter&, const Placement&) const override {}
};

TEST(Arm64Fdt, RefusesADeviceItCannotWrite) {
  FdtSpec s = spec(3);
  s.devices.push_back({std::make_shared<OpenNode>(), {kMmio, 0xb000000, 0x1000, 40, 0}});
  auto open = build_fdt(s, kDtbMaxSize);
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.error().message.find("node is not closed (1 open)"), std::string::npos) << open.error().message;

  s = spec(3);
  s.devices.front().where.space = Placement::Space::kPortIo;
  s.devices.front().where.base = 0x3f8;
  auto pio = build_fdt(s, kDtbMaxSize);
  ASSERT_FALSE(pio.ok());
  EXPECT_NE(pio.error().message.find("port I/O window (0x3f8)"), std::string::npos) << pio.error().message;
}

// stdout-path names whichever device is the console, by the node name that device writes.
TEST(Arm64Fdt, StdoutPathFollowsTheConsole) {
  FdtSpec s = spec(3);
  s.devices.front().console = false;
  s.devices.back().console = true;
  auto blob = build_fdt(s, kDtbMaxSize);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  EXPECT_EQ(Tree(*blob).str("/chosen", "stdout-path"), std::string("/virtio_mmio@a001000\0", 21));
  s.devices.back().console = false;
  blob = build_fdt(s, kDtbMaxSize);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  EXPECT_FALSE(Tree(*blob).has("/chosen", "stdout-path")) << "no console, no stdout-path";
}

}  // namespace
}  // namespace edgeward::vmm::arm64
