// Linux/arm64 `Image` loading per the kernel's Documentation/arch/arm64/booting.rst: the 64-byte
// header is validated (magic "ARM\x64", little-endian, image_size set, text_offset page-aligned,
// reserved flag bits clear), the kernel goes to a 2 MiB-aligned base + text_offset at the start
// of RAM (mapped from its file, else copied: GuestMemory::place), the device tree gets the last
// 2 MiB of RAM (8-byte aligned, at most 2 MiB) and the initrd goes just below it. The image is
// hostile input: every size and offset is checked. Arch-neutral code (it only reads bytes), so
// the unit tests and the fuzzer run on any host.
#pragma once

#include <cstdint>
#include <span>

#include "common/result.h"
#include "vmm-lite/memory/guest_memory.h"

namespace edgeward::vmm::arm64 {

struct ImageHeader {
  uint64_t text_offset = 0;
  uint64_t image_size = 0;  // bytes the kernel occupies from its load address (with bss)
  uint64_t flags = 0;
};

// Validates that `image` is an arm64 Image this VMM can boot.
Result<ImageHeader> parse_image(std::span<const uint8_t> image);

struct ImagePlacement {
  uint64_t kernel = 0;      // load address = entry point
  uint64_t kernel_end = 0;  // kernel + image_size
  uint64_t initrd = 0;      // 0 without an initrd
  uint64_t initrd_size = 0;
  uint64_t dtb = 0;         // where the device tree goes (2 MiB-aligned)
  uint64_t dtb_max = 0;     // room for it (at most 2 MiB)
};

// Where kernel, initrd and device tree go in RAM [ram_base, ram_base + ram_size).
Result<ImagePlacement> place_image(const ImageHeader& h, uint64_t ram_base, uint64_t ram_size, uint64_t initrd_size);

// Parses `image`, places it in the first RAM region of `mem` and puts kernel and initrd there:
// mapped from `image_fd` / `initrd_fd` (the files `image` / `initrd` are the whole contents of)
// when given, so nothing is copied or zeroed before the guest starts; copied otherwise. The
// part of image_size past the file (the kernel's bss) reads as zeros either way.
Result<ImagePlacement> load_image(const GuestMemory& mem, std::span<const uint8_t> image,
                                  std::span<const uint8_t> initrd, int image_fd = -1, int initrd_fd = -1);

}  // namespace edgeward::vmm::arm64
