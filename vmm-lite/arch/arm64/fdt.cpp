#include "vmm-lite/arch/arm64/fdt.h"

#include <libfdt.h>

#include <cstdio>

#include "vmm-lite/arch/arm64/layout.h"

namespace edgeward::vmm::arm64 {
namespace {

constexpr uint32_t kGicPhandle = 1;
// Interrupt specifiers of the GIC bindings: type cell, number, flags.
constexpr uint32_t kSpi = 0, kPpi = 1;
constexpr uint32_t kEdgeRising = 1, kLevelLow = 8;

// The sequential writer: every libfdt call's error is kept; the first one wins.
class Writer {
 public:
  explicit Writer(size_t size) : buf_(size) { err_ = fdt_create(buf_.data(), static_cast<int>(buf_.size())); }
  void check(int rc) {
    if (err_ == 0 && rc < 0) err_ = rc;
  }
  void begin(const std::string& name) { check(fdt_begin_node(buf_.data(), name.c_str())); }
  void end() { check(fdt_end_node(buf_.data())); }
  void str(const char* name, const char* v) { check(fdt_property_string(buf_.data(), name, v)); }
  // A string list ("a\0b\0"), given with its embedded NULs.
  void strs(const char* name, std::string_view v) { check(fdt_property(buf_.data(), name, v.data(), static_cast<int>(v.size()))); }
  void u32(const char* name, uint32_t v) { check(fdt_property_u32(buf_.data(), name, v)); }
  void u64(const char* name, uint64_t v) { check(fdt_property_u64(buf_.data(), name, v)); }
  void empty(const char* name) { check(fdt_property(buf_.data(), name, nullptr, 0)); }
  void bytes(const char* name, const std::vector<uint8_t>& v) {
    check(fdt_property(buf_.data(), name, v.data(), static_cast<int>(v.size())));
  }
  void cells(const char* name, const std::vector<uint32_t>& v) {
    std::vector<fdt32_t> be;
    for (uint32_t c : v) be.push_back(cpu_to_fdt32(c));
    check(fdt_property(buf_.data(), name, be.data(), static_cast<int>(be.size() * sizeof(fdt32_t))));
  }
  // reg with #address-cells = #size-cells = 2.
  void reg(const std::vector<std::pair<uint64_t, uint64_t>>& ranges) {
    std::vector<uint32_t> c;
    for (auto [a, s] : ranges) {
      c.insert(c.end(), {static_cast<uint32_t>(a >> 32), static_cast<uint32_t>(a), static_cast<uint32_t>(s >> 32),
                         static_cast<uint32_t>(s)});
    }
    cells("reg", c);
  }
  Result<std::vector<uint8_t>> finish() {
    check(fdt_finish(buf_.data()));
    if (err_ == -FDT_ERR_NOSPACE) return Error::invalid("the device tree does not fit in its 2 MiB (command line too long?)");
    if (err_ < 0) return Error::internal(std::string("writing the device tree: ") + fdt_strerror(err_));
    buf_.resize(fdt_totalsize(buf_.data()));
    return std::move(buf_);
  }
  int error() const { return err_; }
  void* data() { return buf_.data(); }

 private:
  std::vector<uint8_t> buf_;
  int err_ = 0;
};

std::string unit(const char* name, uint64_t addr) {
  char b[64];
  std::snprintf(b, sizeof b, "%s@%llx", name, static_cast<unsigned long long>(addr));
  return b;
}

void cpus(Writer& w, uint32_t n) {
  w.begin("cpus");
  w.u32("#address-cells", 1);  // MPIDR Aff2..Aff0 fit in one cell for every vCPU count we allow
  w.u32("#size-cells", 0);
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t mpidr = vcpu_mpidr(i);
    w.begin(unit("cpu", mpidr));
    w.str("device_type", "cpu");
    w.str("compatible", "arm,arm-v8");
    w.str("enable-method", "psci");
    w.u32("reg", static_cast<uint32_t>(mpidr));
    w.end();
  }
  w.end();
}

void gic(Writer& w, int version, uint32_t vcpus) {
  w.begin(unit("intc", kGicDistBase));
  if (version == 3) {
    w.str("compatible", "arm,gic-v3");
    w.reg({{kGicDistBase, kGicDistSize}, {kGicRedistBase, kGicRedistSize * vcpus}});
  } else {
    w.str("compatible", "arm,cortex-a15-gic");
    w.reg({{kGicDistBase, 0x1000}, {kGicCpuBase, kGicCpuSize}});
  }
  w.u32("#interrupt-cells", 3);
  w.empty("interrupt-controller");
  w.u32("phandle", kGicPhandle);
  w.end();
}

void timer(Writer& w, int gic_version, uint32_t vcpus) {
  // Secure, non-secure physical, virtual, hypervisor timer PPIs; GICv2 also names the CPUs.
  uint32_t flags = kLevelLow;
  if (gic_version == 2) flags |= ((1u << std::min<uint32_t>(vcpus, 8)) - 1) << 8;
  w.begin("timer");
  w.str("compatible", "arm,armv8-timer");
  w.cells("interrupts", {kPpi, 13, flags, kPpi, 14, flags, kPpi, 11, flags, kPpi, 10, flags});
  w.empty("always-on");
  w.end();
}

void uart(Writer& w) {
  w.begin(unit("uart", kUartBase));
  w.str("compatible", "ns16550a");
  w.reg({{kUartBase, kUartSize}});
  w.u32("clock-frequency", 1843200);  // 115200 baud x 16: what the 8250 driver divides
  w.cells("interrupts", {kSpi, kUartSpi, kEdgeRising});  // the UART pulses its line per event
  w.end();
}

void virtio(Writer& w, const FdtSpec::Mmio& d) {
  w.begin(unit("virtio_mmio", d.base));
  w.str("compatible", "virtio,mmio");
  w.reg({{d.base, 0x1000}});
  w.cells("interrupts", {kSpi, d.spi, kEdgeRising});
  w.empty("dma-coherent");
  w.end();
}

void root(Writer& w, const FdtSpec& spec) {
  w.check(fdt_finish_reservemap(w.data()));
  w.begin("");
  w.str("compatible", "linux,dummy-virt");
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.u32("interrupt-parent", kGicPhandle);

  w.begin("chosen");
  w.str("bootargs", spec.bootargs.c_str());
  w.str("stdout-path", unit("/uart", kUartBase).c_str());
  if (spec.initrd_end > spec.initrd_start) {
    w.u64("linux,initrd-start", spec.initrd_start);
    w.u64("linux,initrd-end", spec.initrd_end);
  }
  if (!spec.rng_seed.empty()) w.bytes("rng-seed", spec.rng_seed);
  if (spec.kaslr_seed != 0) w.u64("kaslr-seed", spec.kaslr_seed);
  w.end();

  w.begin(unit("memory", spec.ram_base));
  w.str("device_type", "memory");
  w.reg({{spec.ram_base, spec.ram_size}});
  w.end();

  cpus(w, spec.vcpus);
  w.begin("psci");
  w.strs("compatible", std::string_view("arm,psci-0.2\0arm,psci", sizeof "arm,psci-0.2\0arm,psci"));
  w.str("method", "hvc");
  w.end();
  gic(w, spec.gic_version, spec.vcpus);
  timer(w, spec.gic_version, spec.vcpus);
  uart(w);
  for (const FdtSpec::Mmio& d : spec.virtio) virtio(w, d);
  w.end();
}

}  // namespace

Result<std::vector<uint8_t>> build_fdt(const FdtSpec& spec, size_t max_size) {
  if (spec.gic_version != 2 && spec.gic_version != 3) return Error::internal("device tree: GIC version must be 2 or 3");
  // Start small (a microVM's tree is a few KiB) and grow up to the limit while libfdt runs out of room.
  for (size_t size = std::min<size_t>(max_size, 16 << 10);; size = std::min(max_size, size * 4)) {
    Writer w(size);
    root(w, spec);
    if (w.error() != -FDT_ERR_NOSPACE || size == max_size) return w.finish();
  }
}

}  // namespace edgeward::vmm::arm64
