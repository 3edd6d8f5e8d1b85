#include "vmm-lite/arch/arm64/gic.h"

#include <cerrno>
#include <string>

#include "common/errno_error.h"
#include "vmm-lite/arch/arm64/layout.h"

namespace edgeward::vmm::arm64 {
namespace {

Status set_attr(int fd, int version, uint32_t group, uint64_t attr, const void* value, const char* what) {
  kvm_device_attr a{};
  a.group = group;
  a.attr = attr;
  a.addr = reinterpret_cast<uint64_t>(value);
  if (auto r = kvm_ioctl(fd, KVM_SET_DEVICE_ATTR, &a, what); !r) {
    return std::move(r).error().context("GICv" + std::to_string(version));
  }
  return {};
}

Result<Gic> create(const Vm& vm, uint32_t type, int version) {
  kvm_create_device d{};
  d.type = type;
  EW_ASSIGN(int rc, kvm_ioctl(vm.fd(), KVM_CREATE_DEVICE, &d, version == 3 ? "creating an in-kernel GICv3" : "creating an in-kernel GICv2"));
  (void)rc;
  Gic g;
  g.version = version;
  g.fd.reset(static_cast<int>(d.fd));
  return g;
}

}  // namespace

Result<Gic> create_gic(const Vm& vm, uint32_t vcpus, bool force_v2) {
  if (kGicRedistBase + uint64_t{vcpus} * kGicRedistSize > kGicRedistEnd) {
    return Error::invalid("at most " + std::to_string((kGicRedistEnd - kGicRedistBase) / kGicRedistSize) + " vCPUs fit the GIC layout");
  }
  Result<Gic> g = Error::unsupported("GICv3 not tried");
  if (!force_v2) g = create(vm, KVM_DEV_TYPE_ARM_VGIC_V3, 3);
  if (!g) {
    // A GICv2 host (or a GICv3 without v2 compatibility: then both fail and we say why).
    auto v2 = create(vm, KVM_DEV_TYPE_ARM_VGIC_V2, 2);
    if (!v2) {
      return Error::unsupported("KVM offers no in-kernel GIC (" + g.error().message + "; " + v2.error().message +
                                "); this host cannot run arm64 microVMs, use --backend sandbox");
    }
    g = std::move(v2);
  }
  if (g->version == 2 && vcpus > 8) {
    return Error::invalid("this host's KVM has only a GICv2, which serves at most 8 vCPUs; pass --vcpus 8 or fewer");
  }
  const uint64_t dist = kGicDistBase, redist = kGicRedistBase, cpu = kGicCpuBase;
  if (g->version == 3) {
    EW_TRY(set_attr(g->fd.get(), g->version, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist, "placing the distributor"));
    EW_TRY(set_attr(g->fd.get(), g->version, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist, "placing the redistributors"));
  } else {
    EW_TRY(set_attr(g->fd.get(), g->version, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, &dist, "placing the distributor"));
    EW_TRY(set_attr(g->fd.get(), g->version, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU, &cpu, "placing the CPU interface"));
  }
  const uint32_t nr_irqs = kGicNrIrqs;
  EW_TRY(set_attr(g->fd.get(), g->version, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs, "setting the number of interrupts"));
  return g;
}

Status init_gic(int fd, int version) {
  return set_attr(fd, version, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, nullptr, "initialising (after the vCPUs)");
}

}  // namespace edgeward::vmm::arm64
