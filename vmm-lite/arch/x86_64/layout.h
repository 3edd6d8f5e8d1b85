// The x86_64 microVM's guest physical memory map.
//
//   0x0000_0500  GDT                     0x0000_9000  PML4, then PDPT (0xa000), PD (0xb000)
//   0x0000_7000  boot_params (zero page) 0x0002_0000  kernel command line (up to 64 KiB)
//   0x0000_8ff0  boot stack top          0x000e_0000  ACPI tables (RSDP first)
//   0x0010_0000  kernel (protected-mode part of the bzImage)
//   ...          initrd, at the top of low RAM
//   0xc000_0000 - 0xffff_ffff  MMIO hole: virtio-mmio windows at 0xd000_0000, IOAPIC, LAPIC
//   0x1_0000_0000  RAM above 3 GiB continues here
#pragma once

#include <cstdint>

namespace edgeward::vmm::x86 {

constexpr uint64_t kGdtAddr = 0x500;
constexpr uint64_t kZeroPageAddr = 0x7000;
constexpr uint64_t kBootStackTop = 0x8ff0;
constexpr uint64_t kPml4Addr = 0x9000;
constexpr uint64_t kPdptAddr = 0xa000;
constexpr uint64_t kPdAddr = 0xb000;
constexpr uint64_t kCmdlineAddr = 0x20000;
constexpr uint64_t kCmdlineMax = 0x10000;
constexpr uint64_t kEbdaStart = 0x9fc00;
constexpr uint64_t kAcpiStart = 0xe0000;
constexpr uint64_t kAcpiEnd = 0x100000;
constexpr uint64_t kKernelAddr = 0x100000;

constexpr uint64_t kMmioHoleStart = 0xc0000000;
constexpr uint64_t kHighRamStart = 0x100000000;
constexpr uint64_t kVirtioMmioBase = 0xd0000000;
constexpr uint32_t kVirtioFirstGsi = 16;  // IOAPIC pins 16..23: no ISA device uses them
constexpr uint32_t kVirtioSlots = 8;
constexpr uint64_t kIoapicAddr = 0xfec00000;
constexpr uint64_t kLapicAddr = 0xfee00000;
constexpr uint64_t kTssAddr = 0xfffbd000;
constexpr uint64_t kIdentityMapAddr = 0xfffbc000;

// Port I/O devices.
constexpr uint16_t kCom1Port = 0x3f8;
constexpr uint32_t kCom1Irq = 4;
constexpr uint16_t kI8042Port = 0x60;
constexpr uint16_t kRtcPort = 0x70;
constexpr uint16_t kAcpiPmPort = 0x600;

// GDT selectors of the 64-bit boot protocol (__BOOT_CS, __BOOT_DS) and the TSS.
constexpr uint16_t kBootCs = 0x10;
constexpr uint16_t kBootDs = 0x18;
constexpr uint16_t kBootTss = 0x20;

}  // namespace edgeward::vmm::x86
