#include "vmm-lite/arch/x86_64/bzimage.h"

#include <cstring>

#include "common/hex.h"
#include "vmm-lite/arch/x86_64/layout.h"

namespace edgeward::vmm::x86 {
namespace {

// Offsets in the file's first sector / in boot_params (the header sits at the same place).
constexpr size_t kSetupSects = 0x1f1, kJumpOffset = 0x201, kHeaderMagic = 0x202, kVersion = 0x206,
                 kTypeOfLoader = 0x210, kLoadflags = 0x211, kRamdiskImage = 0x218, kRamdiskSize = 0x21c,
                 kCmdLinePtr = 0x228, kInitrdAddrMax = 0x22c, kXloadflags = 0x236, kCmdlineSize = 0x238,
                 kInitSize = 0x260;
constexpr size_t kAcpiRsdpAddr = 0x070, kExtRamdiskImage = 0x0c0, kExtRamdiskSize = 0x0c4,
                 kExtCmdLinePtr = 0x0c8, kE820Entries = 0x1e8, kE820Table = 0x2d0;
constexpr size_t kMaxE820 = 128;
constexpr uint32_t kHdrS = 0x53726448;
constexpr uint8_t kLoadedHigh = 0x01;
constexpr uint16_t kXlfKernel64 = 0x01;
constexpr uint64_t kEntry64Offset = 0x200;
constexpr size_t kZeroPageSize = 4096;
constexpr uint64_t kKernelDecompressAddr = 0x1000000;

template <typename T>
T get(std::span<const uint8_t> b, size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof v);
  return v;
}
template <typename T>
void put(std::vector<uint8_t>& b, size_t off, T v) {
  std::memcpy(b.data() + off, &v, sizeof v);
}

}  // namespace

Result<SetupHeader> parse_bzimage(std::span<const uint8_t> image) {
  if (image.size() < 0x400) return Error::invalid("kernel image is too small to be a bzImage");
  if (get<uint32_t>(image, kHeaderMagic) != kHdrS) {
    return Error::invalid("kernel image has no Linux setup header (\"HdrS\"); give a bzImage such as /boot/vmlinuz-*");
  }
  SetupHeader h;
  h.version = get<uint16_t>(image, kVersion);
  if (h.version < 0x020c) {
    return Error::invalid("boot protocol " + hex(h.version) + " is older than 2.12 (no 64-bit entry point)");
  }
  h.setup_sects = image[kSetupSects] == 0 ? 4 : image[kSetupSects];
  h.loadflags = image[kLoadflags];
  h.xloadflags = get<uint16_t>(image, kXloadflags);
  h.initrd_addr_max = get<uint32_t>(image, kInitrdAddrMax);
  h.cmdline_size = get<uint32_t>(image, kCmdlineSize);
  h.init_size = get<uint32_t>(image, kInitSize);
  h.header_end = kJumpOffset + 1 + image[kJumpOffset];
  h.kernel_offset = (size_t{h.setup_sects} + 1) * 512;
  if (!(h.loadflags & kLoadedHigh)) return Error::invalid("kernel is not loaded high (a zImage); use a bzImage");
  if (!(h.xloadflags & kXlfKernel64)) return Error::invalid("kernel has no 64-bit entry point (XLF_KERNEL_64)");
  if (h.header_end > 0x290 || h.header_end > image.size()) return Error::invalid("bzImage setup header is malformed");
  if (h.kernel_offset >= image.size()) return Error::invalid("bzImage has no kernel after its setup sectors");
  return h;
}

Result<uint64_t> load_bzimage(const GuestMemory& mem, std::span<const uint8_t> image,
                              std::span<const uint8_t> initrd, const std::string& cmdline,
                              const std::vector<E820Entry>& e820, uint64_t rsdp_addr, int initrd_fd) {
  EW_ASSIGN(SetupHeader h, parse_bzimage(image));
  const auto kernel = image.subspan(h.kernel_offset);
  const uint64_t kernel_span = std::max<uint64_t>(kernel.size(), h.init_size);
  if (mem.regions().empty() || mem.regions()[0].size < kKernelAddr + kernel_span) {
    return Error::invalid("guest memory is too small for this kernel (needs " + std::to_string((kKernelAddr + kernel_span) >> 20) +
                          " MiB below 3 GiB, plus room for the initrd); raise --mem");
  }
  EW_TRY(mem.write(kKernelAddr, kernel));

  std::vector<uint8_t> zp(kZeroPageSize, 0);
  std::memcpy(zp.data() + kSetupSects, image.data() + kSetupSects, h.header_end - kSetupSects);
  zp[kTypeOfLoader] = 0xff;  // "undefined" boot loader
  zp[kLoadflags] = static_cast<uint8_t>(h.loadflags | kLoadedHigh);

  const uint64_t max_cmdline = std::min<uint64_t>(kCmdlineMax - 1, h.cmdline_size ? h.cmdline_size : 255);
  if (cmdline.size() > max_cmdline) {
    return Error::invalid("kernel command line is " + std::to_string(cmdline.size()) + " bytes; this kernel takes at most " +
                          std::to_string(max_cmdline));
  }
  std::vector<uint8_t> cl(cmdline.begin(), cmdline.end());
  cl.push_back(0);
  EW_TRY(mem.write(kCmdlineAddr, cl));
  put<uint32_t>(zp, kCmdLinePtr, static_cast<uint32_t>(kCmdlineAddr));
  put<uint32_t>(zp, kExtCmdLinePtr, 0);

  if (!initrd.empty()) {
    // Top of low RAM, below the kernel's limit, page aligned, clear of the kernel.
    const uint64_t low_end = mem.regions()[0].gpa + mem.regions()[0].size;
    const uint64_t limit = std::min<uint64_t>(low_end, uint64_t{h.initrd_addr_max} + 1);
    // A relocatable kernel decompresses itself to at least LOAD_PHYSICAL_ADDR (16 MiB).
    const uint64_t kernel_end = std::max(kKernelAddr + kernel_span, kKernelDecompressAddr + h.init_size);
    const std::string too_big = "initrd of " + std::to_string(initrd.size() >> 20) +
                                " MiB does not fit in guest memory above the kernel; raise --mem";
    if (initrd.size() > limit) return Error::invalid(too_big);
    const uint64_t addr = (limit - initrd.size()) & ~uint64_t{0xfff};
    if (addr < kernel_end) return Error::invalid(too_big);
    EW_TRY(mem.place(addr, initrd, initrd_fd));
    put<uint32_t>(zp, kRamdiskImage, static_cast<uint32_t>(addr));
    put<uint32_t>(zp, kRamdiskSize, static_cast<uint32_t>(initrd.size()));
    put<uint32_t>(zp, kExtRamdiskImage, static_cast<uint32_t>(addr >> 32));
    put<uint32_t>(zp, kExtRamdiskSize, static_cast<uint32_t>(static_cast<uint64_t>(initrd.size()) >> 32));
  }

  if (e820.size() > kMaxE820) return Error::internal("too many e820 entries");
  zp[kE820Entries] = static_cast<uint8_t>(e820.size());
  for (size_t i = 0; i < e820.size(); ++i) {
    put<uint64_t>(zp, kE820Table + 20 * i, e820[i].addr);
    put<uint64_t>(zp, kE820Table + 20 * i + 8, e820[i].size);
    put<uint32_t>(zp, kE820Table + 20 * i + 16, e820[i].type);
  }
  put<uint64_t>(zp, kAcpiRsdpAddr, rsdp_addr);
  EW_TRY(mem.write(kZeroPageAddr, zp));
  return kKernelAddr + kEntry64Offset;
}

}  // namespace edgeward::vmm::x86
