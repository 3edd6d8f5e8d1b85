#include "vmm-lite/arch/arm64/fdt.h"

#include <algorithm>

#include "vmm-lite/arch/arm64/fdt_writer.h"
#include "vmm-lite/arch/arm64/layout.h"

namespace edgeward::vmm::arm64 {
namespace {

constexpr uint32_t kGicPhandle = 1;

// The name of the node a device writes: /chosen's stdout-path names the console before its node
// exists (libfdt's sequential writer cannot go back), so its description is asked twice.
class NodeName final : public DeviceTreeWriter {
 public:
  std::string name;
  void begin_node(std::string_view n, uint64_t unit_address) override {
    if (name.empty()) name = unit_name(n, unit_address);
  }
  void end_node() override {}
  void string(const char*, std::string_view) override {}
  void u32(const char*, uint32_t) override {}
  void flag(const char*) override {}
  void reg(const Placement&) override {}
  void interrupts(uint32_t, Trigger) override {}
};

void cpus(FdtWriter& w, uint32_t n) {
  w.begin("cpus");
  w.u32("#address-cells", 1);  // MPIDR Aff2..Aff0 fit in one cell for every vCPU count we allow
  w.u32("#size-cells", 0);
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t mpidr = vcpu_mpidr(i);
    w.begin_node("cpu", mpidr);
    w.string("device_type", "cpu");
    w.string("compatible", "arm,arm-v8");
    w.string("enable-method", "psci");
    w.u32("reg", static_cast<uint32_t>(mpidr));
    w.end_node();
  }
  w.end_node();
}

void gic(FdtWriter& w, int version, uint32_t vcpus) {
  w.begin_node("intc", kGicDistBase);
  if (version == 3) {
    w.string("compatible", "arm,gic-v3");
    w.reg({{kGicDistBase, kGicDistSize}, {kGicRedistBase, kGicRedistSize * vcpus}});
  } else {
    w.string("compatible", "arm,cortex-a15-gic");
    w.reg({{kGicDistBase, 0x1000}, {kGicCpuBase, kGicCpuSize}});
  }
  w.u32("#interrupt-cells", 3);
  w.flag("interrupt-controller");
  w.u32("phandle", kGicPhandle);
  w.end_node();
}

void timer(FdtWriter& w, int gic_version, uint32_t vcpus) {
  // Secure, non-secure physical, virtual, hypervisor timer PPIs; GICv2 also names the CPUs.
  uint32_t flags = kIrqLevelLow;
  if (gic_version == 2) flags |= ((1u << std::min<uint32_t>(vcpus, 8)) - 1) << 8;
  w.begin("timer");
  w.string("compatible", "arm,armv8-timer");
  w.cells("interrupts", {kGicPpi, 13, flags, kGicPpi, 14, flags, kGicPpi, 11, flags, kGicPpi, 10, flags});
  w.flag("always-on");
  w.end_node();
}

void chosen(FdtWriter& w, const FdtSpec& spec) {
  w.begin("chosen");
  w.string("bootargs", spec.bootargs);
  auto console = std::find_if(spec.devices.begin(), spec.devices.end(), [](const DescribedDevice& d) { return d.console; });
  if (console != spec.devices.end()) {
    NodeName probe;
    console->device->describe(probe, console->where);
    w.string("stdout-path", "/" + probe.name);
  }
  if (spec.initrd_end > spec.initrd_start) {
    w.u64("linux,initrd-start", spec.initrd_start);
    w.u64("linux,initrd-end", spec.initrd_end);
  }
  if (!spec.rng_seed.empty()) w.bytes("rng-seed", spec.rng_seed);
  if (spec.kaslr_seed != 0) w.u64("kaslr-seed", spec.kaslr_seed);
  w.end_node();
}

void root(FdtWriter& w, const FdtSpec& spec) {
  w.finish_reservemap();
  w.begin("");
  w.string("compatible", "linux,dummy-virt");
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.u32("interrupt-parent", kGicPhandle);
  chosen(w, spec);

  w.begin_node("memory", spec.ram_base);
  w.string("device_type", "memory");
  w.reg({{spec.ram_base, spec.ram_size}});
  w.end_node();

  cpus(w, spec.vcpus);
  w.begin("psci");
  w.strings("compatible", std::string_view("arm,psci-0.2\0arm,psci", sizeof "arm,psci-0.2\0arm,psci"));
  w.string("method", "hvc");
  w.end_node();
  gic(w, spec.gic_version, spec.vcpus);
  timer(w, spec.gic_version, spec.vcpus);
  for (const DescribedDevice& d : spec.devices) {
    const int depth = w.depth();
    d.device->describe(w, d.where);
    if (w.depth() != depth) w.fail("a device's node is not closed (" + std::to_string(w.depth() - depth) + " open)");
  }
  w.end_node();
}

}  // namespace

Result<std::vector<uint8_t>> build_fdt(const FdtSpec& spec, size_t max_size) {
  if (spec.gic_version != 2 && spec.gic_version != 3) return Error::internal("device tree: GIC version must be 2 or 3");
  // Start small (a microVM's tree is a few KiB) and grow up to the limit while libfdt runs out of room.
  for (size_t size = std::min<size_t>(max_size, 16 << 10);; size = std::min(max_size, size * 4)) {
    FdtWriter w(size);
    root(w, spec);
    if (!w.out_of_space() || size == max_size) return w.finish();
  }
}

}  // namespace edgeward::vmm::arm64
