// Linux/x86 bzImage parsing and placement for the 64-bit boot protocol
// (Documentation/arch/x86/boot.rst): the setup header is validated, the protected-mode kernel
// is copied to 1 MiB, and boot_params (the "zero page") is filled with the header, command
// line, initrd and e820 map. The image is hostile input: every offset and size is checked.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "vmm-lite/memory/guest_memory.h"

namespace edgeward::vmm::x86 {

struct SetupHeader {
  uint8_t setup_sects = 0;
  uint16_t version = 0;
  uint8_t loadflags = 0;
  uint16_t xloadflags = 0;
  uint32_t initrd_addr_max = 0;
  uint32_t cmdline_size = 0;
  uint32_t init_size = 0;
  size_t header_end = 0;   // end offset of the setup header in the file
  size_t kernel_offset = 0;  // file offset of the protected-mode kernel
};

// Validates that `image` is a bzImage this VMM can boot (64-bit entry point present).
Result<SetupHeader> parse_bzimage(std::span<const uint8_t> image);

struct E820Entry {
  uint64_t addr;
  uint64_t size;
  uint32_t type;  // 1 RAM, 2 reserved
};

// Loads kernel + initrd + command line and writes boot_params; returns the 64-bit entry. The
// initrd is mapped from `initrd_fd` (the file it is the whole of) when given, else copied
// (GuestMemory::place). The kernel is always copied: its protected-mode part starts at
// (setup_sects + 1) * 512 in the file, not at a page boundary, so it cannot be mapped at 1 MiB.
Result<uint64_t> load_bzimage(const GuestMemory& mem, std::span<const uint8_t> image,
                              std::span<const uint8_t> initrd, const std::string& cmdline,
                              const std::vector<E820Entry>& e820, uint64_t rsdp_addr, int initrd_fd = -1);

}  // namespace edgeward::vmm::x86
