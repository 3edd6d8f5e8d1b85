#include "vmm-lite/arch/arm64/image.h"

#include <cstring>
#include <string>

#include "common/hex.h"
#include "vmm-lite/arch/arm64/layout.h"

namespace edgeward::vmm::arm64 {
namespace {

constexpr size_t kHeaderSize = 64;
constexpr size_t kTextOffsetAt = 8, kImageSizeAt = 16, kFlagsAt = 24, kMagicAt = 56;
constexpr uint32_t kMagic = 0x644d5241;  // "ARM\x64"
constexpr uint64_t kFlagBigEndian = 1;
constexpr uint64_t kFlagsKnown = 0xf;  // endianness, page size (2 bits), physical placement
constexpr uint64_t kMaxImageSize = 512ull << 20;
constexpr uint64_t kPage = 4096;

template <typename T>
T le(std::span<const uint8_t> b, size_t at) {
  T v;
  std::memcpy(&v, b.data() + at, sizeof v);  // arm64 and x86_64 hosts are both little-endian
  return v;
}

constexpr uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
constexpr uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

}  // namespace

Result<ImageHeader> parse_image(std::span<const uint8_t> image) {
  if (image.size() < kHeaderSize) {
    return Error::invalid("kernel is too small (" + std::to_string(image.size()) +
                          " bytes) for an arm64 Image header; pass an uncompressed arm64 Image (vmlinuz of "
                          "linux-image-*-arm64, or arch/arm64/boot/Image)");
  }
  if (le<uint32_t>(image, kMagicAt) != kMagic) {
    return Error::invalid("kernel is not an arm64 Image (no \"ARM\\x64\" magic at offset 56); a gzip'd Image.gz, "
                          "an x86 bzImage or an ELF vmlinux cannot be booted: pass the uncompressed Image");
  }
  ImageHeader h{le<uint64_t>(image, kTextOffsetAt), le<uint64_t>(image, kImageSizeAt), le<uint64_t>(image, kFlagsAt)};
  if (h.flags & kFlagBigEndian) return Error::invalid("kernel is a big-endian arm64 Image; only little-endian guests run here");
  if (h.flags & ~kFlagsKnown) {
    return Error::invalid("arm64 Image header has unknown flags " + hex(h.flags & ~kFlagsKnown) +
                          " (booting.rst defines bits 0-3); refusing to guess what they ask for");
  }
  if (h.image_size == 0) {
    return Error::invalid("arm64 Image header has image_size 0 (a kernel older than 3.17); boot a newer kernel");
  }
  if (h.image_size > kMaxImageSize) {
    return Error::invalid("arm64 Image claims image_size " + hex(h.image_size) + ", over the 512 MiB limit");
  }
  if (image.size() > h.image_size) {
    return Error::invalid("arm64 Image file (" + std::to_string(image.size()) + " bytes) is larger than its header's image_size (" +
                          std::to_string(h.image_size) + "); the file is not one kernel image");
  }
  if (h.text_offset % kPage != 0 || h.text_offset >= kKernelAlign) {
    return Error::invalid("arm64 Image has text_offset " + hex(h.text_offset) + "; it must be page-aligned and below 2 MiB");
  }
  return h;
}

Result<ImagePlacement> place_image(const ImageHeader& h, uint64_t ram_base, uint64_t ram_size, uint64_t initrd_size) {
  if (ram_base % kKernelAlign != 0) return Error::internal("arm64 RAM base " + hex(ram_base) + " is not 2 MiB-aligned");
  if (ram_size > (1ull << 48) || ram_base > (1ull << 48)) return Error::internal("arm64 RAM region out of range");
  ImagePlacement p;
  p.kernel = ram_base + h.text_offset;
  p.kernel_end = p.kernel + h.image_size;
  const uint64_t ram_end = ram_base + ram_size;
  // The device tree takes the last 2 MiB block of RAM (mapped by itself, as booting.rst asks).
  if (ram_size < kDtbMaxSize) return Error::invalid("guest memory is smaller than the 2 MiB the device tree needs; raise --mem");
  p.dtb = align_down(ram_end - kDtbMaxSize, kKernelAlign);
  p.dtb_max = std::min<uint64_t>(kDtbMaxSize, ram_end - p.dtb);
  const uint64_t needed_mib = (align_up(p.kernel_end - ram_base, kKernelAlign) + align_up(initrd_size, kPage) + kDtbMaxSize + kKernelAlign) >> 20;
  const std::string too_small = "guest memory is too small for this kernel" + std::string(initrd_size ? " and initrd" : "") +
                                " (needs about " + std::to_string(needed_mib) + " MiB); raise --mem";
  if (p.dtb < align_up(p.kernel_end, kKernelAlign)) return Error::invalid(too_small);
  if (initrd_size > 0) {
    if (initrd_size > p.dtb - p.kernel_end) return Error::invalid(too_small);
    p.initrd = align_down(p.dtb - initrd_size, kPage);
    if (p.initrd < p.kernel_end) return Error::invalid(too_small);
    p.initrd_size = initrd_size;
  }
  return p;
}

Result<ImagePlacement> load_image(const GuestMemory& mem, std::span<const uint8_t> image, std::span<const uint8_t> initrd,
                                  int image_fd, int initrd_fd) {
  EW_ASSIGN(ImageHeader h, parse_image(image));
  if (mem.regions().empty()) return Error::internal("no guest RAM to load the kernel into");
  const MemoryRegion& ram = mem.regions()[0];
  EW_ASSIGN(ImagePlacement p, place_image(h, ram.gpa, ram.size, initrd.size()));
  // The bss part of image_size must read as zero: fresh anonymous memory already does, and so does
  // the rest of a mapped file's last page. The kernel first: a later item wins any shared page.
  EW_TRY(mem.place(p.kernel, image, image_fd));
  if (!initrd.empty()) EW_TRY(mem.place(p.initrd, initrd, initrd_fd));
  return p;
}

}  // namespace edgeward::vmm::arm64
