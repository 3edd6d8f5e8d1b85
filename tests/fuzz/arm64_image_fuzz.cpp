// Fuzzes the arm64 Image parser and loader: a hostile kernel image must be refused with an Error
// or placed inside guest RAM with its initrd and device-tree room, never crash the VMM.
#include "vmm-lite/arch/arm64/image.h"

#include <cstdlib>

#include "vmm-lite/arch/arm64/layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::vmm;
  static GuestMemory mem = std::move(GuestMemory::create({{arm64::kRamBase, 64 << 20}})).value();
  const std::span<const uint8_t> image(data, size);
  // Half the input doubles as an initrd, so the placement checks see odd sizes too.
  auto p = arm64::load_image(mem, image, image.subspan(size / 2));
  if (p.ok()) {
    const uint64_t ram_end = arm64::kRamBase + (64 << 20);
    // What booting.rst asks for, whatever the header said.
    if (p->kernel % 4096 || p->dtb % (2 << 20) || p->dtb + p->dtb_max > ram_end || p->kernel_end > p->dtb ||
        (p->initrd_size && (p->initrd < p->kernel_end || p->initrd + p->initrd_size > p->dtb))) {
      std::abort();
    }
  }
  return 0;
}
