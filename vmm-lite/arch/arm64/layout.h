// The arm64 microVM's guest physical memory map (IPA space).
//
//   0x0800_0000  GIC distributor (64 KiB)
//   0x0801_0000  GICv2 CPU interface (8 KiB), when the host only has a GICv2
//   0x080a_0000  GICv3 redistributors, 128 KiB per vCPU (up to 0x0900_0000)
//   0x0900_0000  16550A UART (8 byte-wide registers), SPI 1
//   0x0a00_0000  virtio-mmio windows, 4 KiB apart, SPIs 16..47
//   0x8000_0000  RAM: the kernel at its 2 MiB-aligned base + text_offset, the initrd below the
//                device tree, the device tree in the last 2 MiB of RAM
#pragma once

#include <cstdint>

namespace edgeward::vmm::arm64 {

constexpr uint64_t kGicDistBase = 0x0800'0000;
constexpr uint64_t kGicDistSize = 0x1'0000;
constexpr uint64_t kGicCpuBase = 0x0801'0000;  // GICv2 only
constexpr uint64_t kGicCpuSize = 0x2000;
constexpr uint64_t kGicRedistBase = 0x080a'0000;  // GICv3 only
constexpr uint64_t kGicRedistSize = 0x2'0000;     // per vCPU: RD_base + SGI_base frames
constexpr uint64_t kGicRedistEnd = 0x0900'0000;
constexpr uint32_t kGicNrIrqs = 128;  // SGIs + PPIs + 96 SPIs; a multiple of 32

constexpr uint64_t kUartBase = 0x0900'0000;
constexpr uint64_t kUartSize = 8;
constexpr uint32_t kUartSpi = 1;

constexpr uint64_t kVirtioMmioBase = 0x0a00'0000;
constexpr uint32_t kVirtioFirstSpi = 16;
constexpr uint32_t kVirtioSlots = 32;

constexpr uint64_t kRamBase = 0x8000'0000;
constexpr uint64_t kKernelAlign = 2 << 20;  // booting.rst: a 2 MiB-aligned base
constexpr uint64_t kDtbMaxSize = 2 << 20;   // booting.rst: at most 2 MiB, 8-byte aligned

// The interrupt id (INTID) of SPI `n` and how KVM_IRQ_LINE names it.
constexpr uint32_t spi_intid(uint32_t n) { return 32 + n; }
constexpr uint32_t spi_irq_line(uint32_t n) { return (1u << 24) /* KVM_ARM_IRQ_TYPE_SPI */ | spi_intid(n); }

// The MPIDR_EL1 KVM gives vCPU `index` at reset (Aff0 takes 4 bits, as GICv3 SGIs need).
constexpr uint64_t vcpu_mpidr(uint32_t index) {
  return (index & 0x0f) | (uint64_t{(index >> 4) & 0xff} << 8) | (uint64_t{(index >> 12) & 0xff} << 16);
}

}  // namespace edgeward::vmm::arm64
