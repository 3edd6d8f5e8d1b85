// The generated device tree, parsed back with libfdt: every node the guest kernel needs is there
// with the values the VMM uses (addresses, interrupts, MPIDRs, /chosen).
#include "vmm-lite/arch/arm64/fdt.h"

#include <gtest/gtest.h>
#include <libfdt.h>

#include "vmm-lite/arch/arm64/layout.h"

namespace edgeward::vmm::arm64 {
namespace {

FdtSpec spec(int gic, uint32_t vcpus = 2) {
  FdtSpec s;
  s.ram_base = kRamBase;
  s.ram_size = 256 << 20;
  s.vcpus = vcpus;
  s.gic_version = gic;
  s.bootargs = "console=ttyS0 panic=-1";
  s.initrd_start = kRamBase + (200 << 20);
  s.initrd_end = s.initrd_start + 12345;
  s.virtio = {{kVirtioMmioBase, kVirtioFirstSpi}, {kVirtioMmioBase + 0x1000, kVirtioFirstSpi + 1}};
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

}  // namespace
}  // namespace edgeward::vmm::arm64
