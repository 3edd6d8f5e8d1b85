// Fuzzes the bzImage parser and loader: a hostile kernel image must be refused with an Error
// or placed inside guest memory, never crash the VMM.
#include "vmm-lite/arch/x86_64/bzimage.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::vmm;
  static GuestMemory mem = std::move(GuestMemory::create({{0, 32 << 20}})).value();
  const std::vector<x86::E820Entry> e820{{0x100000, 31 << 20, 1}};
  const std::span<const uint8_t> image(data, size);
  // Half the input doubles as an initrd, so the placement checks see odd sizes too.
  (void)x86::load_bzimage(mem, image, image.subspan(size / 2), "console=ttyS0", e820, 0xe0000);
  return 0;
}
