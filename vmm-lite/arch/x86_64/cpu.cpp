#include "vmm-lite/arch/x86_64/cpu.h"

#include <cstring>
#include <vector>

#include "vmm-lite/arch/x86_64/layout.h"

namespace edgeward::vmm::x86 {
namespace {

constexpr uint64_t kPtePresent = 1, kPteWritable = 2, kPtePageSize = 0x80;
constexpr uint64_t kCr0Pe = 1, kCr0Et = 1 << 4, kCr0Pg = 1ull << 31;
constexpr uint64_t kCr4Pae = 1 << 5;
constexpr uint64_t kEferLme = 1 << 8, kEferLma = 1 << 10;
constexpr uint32_t kMaxCpuidEntries = 256;

// <linux/kvm.h> declares the trailing arrays of kvm_cpuid2 and kvm_msrs with
// __DECLARE_FLEX_ARRAY, which in C++ adds an empty struct: the structs grow and the arrays
// move, and so do the ioctl numbers that encode the struct size. Use the C layout: an 8-byte
// header, then the entries.
constexpr size_t kFlexHeader = 8;
const unsigned long kGetSupportedCpuid = _IOC(_IOC_READ | _IOC_WRITE, KVMIO, 0x05, kFlexHeader);
const unsigned long kSetCpuid2 = _IOC(_IOC_WRITE, KVMIO, 0x90, kFlexHeader);
const unsigned long kSetMsrs = _IOC(_IOC_WRITE, KVMIO, 0x89, kFlexHeader);

template <typename Entry>
struct FlexBuffer {
  explicit FlexBuffer(uint32_t n) : bytes(kFlexHeader + n * sizeof(Entry)) { set_count(n); }
  uint32_t count() const {
    uint32_t n;
    std::memcpy(&n, bytes.data(), 4);
    return n;
  }
  void set_count(uint32_t n) { std::memcpy(bytes.data(), &n, 4); }
  Entry* entries() { return reinterpret_cast<Entry*>(bytes.data() + kFlexHeader); }
  std::vector<uint8_t> bytes;
};
constexpr uint32_t kMsrMiscEnable = 0x1a0, kMsrTsc = 0x10;
constexpr uint64_t kMiscEnableFastString = 1;

// GDT entry from base/limit/flags (flags = G D/B L AVL + P DPL S TYPE, as in the Intel SDM).
constexpr uint64_t gdt_entry(uint16_t flags, uint32_t base, uint32_t limit) {
  return ((uint64_t{base} & 0xff000000) << 32) | ((uint64_t{flags} & 0xf0ff) << 40) |
         ((uint64_t{limit} & 0x000f0000) << 32) | ((uint64_t{base} & 0x00ffffff) << 16) | (uint64_t{limit} & 0xffff);
}

kvm_segment segment(uint64_t entry, uint16_t selector) {
  kvm_segment s{};
  s.base = ((entry >> 16) & 0xffffff) | (((entry >> 56) & 0xff) << 24);
  const uint32_t limit = static_cast<uint32_t>((entry & 0xffff) | (((entry >> 48) & 0xf) << 16));
  s.g = (entry >> 55) & 1;
  s.limit = s.g ? (limit << 12) | 0xfff : limit;
  s.selector = selector;
  s.type = (entry >> 40) & 0xf;
  s.present = (entry >> 47) & 1;
  s.dpl = (entry >> 45) & 3;
  s.db = (entry >> 54) & 1;
  s.s = (entry >> 44) & 1;
  s.l = (entry >> 53) & 1;
  s.avl = (entry >> 52) & 1;
  s.unusable = s.present ? 0 : 1;
  return s;
}

// null, null, __BOOT_CS (64-bit code), __BOOT_DS (data), TSS.
constexpr uint64_t kGdt[] = {0, 0, gdt_entry(0xa09b, 0, 0xfffff), gdt_entry(0xc093, 0, 0xfffff),
                             gdt_entry(0x808b, 0, 0xfffff)};

}  // namespace

Status write_boot_tables(const GuestMemory& mem) {
  EW_TRY(mem.write_obj(kGdtAddr, kGdt));
  EW_TRY(mem.write_obj<uint64_t>(kPml4Addr, kPdptAddr | kPtePresent | kPteWritable));
  EW_TRY(mem.write_obj<uint64_t>(kPdptAddr, kPdAddr | kPtePresent | kPteWritable));
  for (uint64_t i = 0; i < 512; ++i) {
    EW_TRY(mem.write_obj<uint64_t>(kPdAddr + 8 * i, (i << 21) | kPtePresent | kPteWritable | kPtePageSize));
  }
  return {};
}

Status setup_cpuid(const Kvm& kvm, const Vcpu& vcpu, uint32_t index, uint32_t count) {
  FlexBuffer<kvm_cpuid_entry2> cpuid(kMaxCpuidEntries);
  EW_TRY(kvm_ioctl(kvm.fd(), kGetSupportedCpuid, cpuid.bytes.data(), "KVM_GET_SUPPORTED_CPUID"));
  // KVM emulates the TSC-deadline timer but leaves it out of the supported CPUID (api.rst,
  // KVM_CAP_TSC_DEADLINE_TIMER). Without it the guest programs its APIC timer with TMICT
  // writes, each a full exit; TSC_DEADLINE writes take KVM's in-kernel fast path.
  const bool tsc_deadline = kvm.check_extension(KVM_CAP_TSC_DEADLINE_TIMER) > 0;
  for (uint32_t i = 0; i < std::min(cpuid.count(), kMaxCpuidEntries); ++i) {
    kvm_cpuid_entry2& e = cpuid.entries()[i];
    switch (e.function) {
      case 1:
        // EBX[31:24] initial APIC id, EBX[23:16] logical processors per package; ECX[31] hypervisor.
        e.ebx = (e.ebx & 0x0000ffff) | (index << 24) | (std::min<uint32_t>(count, 255) << 16);
        e.ecx |= 1u << 31;
        if (tsc_deadline) e.ecx |= 1u << 24;
        if (count > 1) e.edx |= 1u << 28;  // HTT: the count in EBX[23:16] is valid
        break;
      case 0xb:
      case 0x1f:
        e.edx = index;  // x2APIC id
        break;
      default: break;
    }
  }
  EW_TRY(kvm_ioctl(vcpu.fd(), kSetCpuid2, cpuid.bytes.data(), "KVM_SET_CPUID2"));
  return {};
}

Status setup_lapic(const Vcpu& vcpu) {
  kvm_lapic_state lapic{};
  EW_TRY(kvm_ioctl(vcpu.fd(), KVM_GET_LAPIC, &lapic, "KVM_GET_LAPIC"));
  // LVT LINT0 = ExtINT (the 8259s), LINT1 = NMI, as firmware leaves them.
  constexpr size_t kLint0 = 0x350, kLint1 = 0x360;
  constexpr uint32_t kModeMask = 0x700, kExtInt = 0x700, kNmi = 0x400;
  auto set_mode = [&](size_t reg, uint32_t mode) {
    uint32_t v;
    std::memcpy(&v, lapic.regs + reg, 4);
    v = (v & ~kModeMask) | mode;
    std::memcpy(lapic.regs + reg, &v, 4);
  };
  set_mode(kLint0, kExtInt);
  set_mode(kLint1, kNmi);
  EW_TRY(kvm_ioctl(vcpu.fd(), KVM_SET_LAPIC, &lapic, "KVM_SET_LAPIC"));
  return {};
}

Status setup_fpu_and_msrs(const Vcpu& vcpu) {
  kvm_fpu fpu{};
  fpu.fcw = 0x37f;
  fpu.mxcsr = 0x1f80;
  EW_TRY(kvm_ioctl(vcpu.fd(), KVM_SET_FPU, &fpu, "KVM_SET_FPU"));

  FlexBuffer<kvm_msr_entry> msrs(2);
  msrs.entries()[0] = {kMsrMiscEnable, 0, kMiscEnableFastString};
  msrs.entries()[1] = {kMsrTsc, 0, 0};
  EW_ASSIGN(int set, kvm_ioctl(vcpu.fd(), kSetMsrs, msrs.bytes.data(), "KVM_SET_MSRS"));
  if (set != 2) return Error::unsupported("KVM refused to set boot MSRs (" + std::to_string(set) + " of 2 set)");
  return {};
}

Status setup_boot_registers(const Vcpu& vcpu, uint64_t entry, uint64_t boot_params) {
  kvm_sregs sregs{};
  EW_TRY(kvm_ioctl(vcpu.fd(), KVM_GET_SREGS, &sregs, "KVM_GET_SREGS"));
  sregs.gdt.base = kGdtAddr;
  sregs.gdt.limit = sizeof(kGdt) - 1;
  sregs.idt.base = 0;
  sregs.idt.limit = 0xffff;  // no IDT yet: the kernel installs its own before enabling interrupts
  sregs.cs = segment(kGdt[kBootCs / 8], kBootCs);
  sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = segment(kGdt[kBootDs / 8], kBootDs);
  sregs.tr = segment(kGdt[kBootTss / 8], kBootTss);
  sregs.cr3 = kPml4Addr;
  sregs.cr4 |= kCr4Pae;
  sregs.cr0 |= kCr0Pe | kCr0Et | kCr0Pg;
  sregs.efer |= kEferLme | kEferLma;
  EW_TRY(kvm_ioctl(vcpu.fd(), KVM_SET_SREGS, &sregs, "KVM_SET_SREGS"));

  kvm_regs regs{};
  regs.rflags = 0x2;  // bit 1 is reserved-set; interrupts disabled
  regs.rip = entry;
  regs.rsi = boot_params;
  regs.rsp = regs.rbp = kBootStackTop;
  EW_TRY(kvm_ioctl(vcpu.fd(), KVM_SET_REGS, &regs, "KVM_SET_REGS"));
  return {};
}

}  // namespace edgeward::vmm::x86
