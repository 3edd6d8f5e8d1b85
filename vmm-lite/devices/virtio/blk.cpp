#include "vmm-lite/devices/virtio/blk.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "common/errno_error.h"

namespace edgeward::vmm {
namespace {

constexpr uint64_t kFeatureSegMax = 1 << 2, kFeatureRo = 1 << 5, kFeatureBlkSize = 1 << 6,
                   kFeatureFlush = 1 << 9;
constexpr uint32_t kTypeIn = 0, kTypeOut = 1, kTypeFlush = 4, kTypeGetId = 8;
constexpr uint8_t kStatusOk = 0, kStatusIoErr = 1, kStatusUnsupported = 2;
constexpr uint32_t kSegMax = 128;
constexpr size_t kIdBytes = 20;

struct RequestHeader {
  uint32_t type;
  uint32_t reserved;
  uint64_t sector;
};

}  // namespace

Result<std::unique_ptr<VirtioBlk>> VirtioBlk::open(const std::string& path, bool read_only) {
  UniqueFd fd(::open(path.c_str(), (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC));
  if (!fd.valid()) return errno_error("opening disk image " + path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_error("stat " + path);
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) return Error::invalid(path + ": disk image is not a file");
  const uint64_t size = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : [&] {
    off_t end = ::lseek(fd.get(), 0, SEEK_END);
    return end < 0 ? uint64_t{0} : static_cast<uint64_t>(end);
  }();
  if (size == 0 || size % kSectorSize) {
    return Error::invalid(path + ": disk image size " + std::to_string(size) + " is not a non-zero multiple of 512");
  }
  return std::make_unique<VirtioBlk>(std::move(fd), size / kSectorSize, read_only);
}

uint64_t VirtioBlk::features() const {
  return kFeatureSegMax | kFeatureBlkSize | kFeatureFlush | (read_only_ ? kFeatureRo : 0);
}

void VirtioBlk::read_config(uint64_t offset, std::span<uint8_t> data) {
  // struct virtio_blk_config: capacity u64 @0, size_max u32 @8, seg_max u32 @12,
  // geometry @16, blk_size u32 @20.
  uint8_t cfg[24] = {};
  std::memcpy(cfg, &sectors_, 8);
  std::memcpy(cfg + 12, &kSegMax, 4);
  const uint32_t blk = kSectorSize;
  std::memcpy(cfg + 20, &blk, 4);
  for (size_t i = 0; i < data.size(); ++i) data[i] = offset + i < sizeof cfg ? cfg[offset + i] : 0;
}

uint8_t VirtioBlk::transfer(uint32_t type, uint64_t sector, const DescriptorChain& chain, const GuestMemory& mem,
                            uint32_t& written) {
  const auto& segs = chain.segments;
  uint64_t pos = 0;
  if (sector > sectors_) return kStatusIoErr;
  const uint64_t limit = (sectors_ - sector) * kSectorSize;  // bytes left on the disk
  const uint64_t base = sector * kSectorSize;
  // Data segments are everything between the header and the status byte.
  for (size_t i = 1; i + 1 < segs.size(); ++i) {
    const Segment& s = segs[i];
    if ((type == kTypeIn) != s.device_writable) return kStatusIoErr;
    if (s.len > limit - pos) return kStatusIoErr;  // past the end of the disk
    auto buf = mem.slice(s.gpa, s.len);
    if (!buf) return kStatusIoErr;
    const off_t off = static_cast<off_t>(base + pos);
    const ssize_t n = type == kTypeIn ? ::pread(fd_.get(), buf->data(), buf->size(), off)
                                      : ::pwrite(fd_.get(), buf->data(), buf->size(), off);
    if (n != static_cast<ssize_t>(s.len)) return kStatusIoErr;
    if (type == kTypeIn) written += s.len;
    pos += s.len;
  }
  return kStatusOk;
}

Result<uint32_t> VirtioBlk::serve(const DescriptorChain& chain, const GuestMemory& mem) {
  const auto& segs = chain.segments;
  if (segs.size() < 2) return Error::invalid("block request with fewer than 2 descriptors");
  if (segs.front().device_writable || segs.front().len < sizeof(RequestHeader)) {
    return Error::invalid("block request header is missing or writable");
  }
  const Segment& status = segs.back();
  if (!status.device_writable || status.len < 1) return Error::invalid("block request has no writable status byte");
  EW_ASSIGN(RequestHeader h, mem.read_obj<RequestHeader>(segs.front().gpa));

  uint32_t written = 0;
  uint8_t result = kStatusOk;
  switch (h.type) {
    case kTypeIn: result = transfer(h.type, h.sector, chain, mem, written); break;
    case kTypeOut: result = read_only_ ? kStatusIoErr : transfer(h.type, h.sector, chain, mem, written); break;
    case kTypeFlush: result = (read_only_ || ::fdatasync(fd_.get()) == 0) ? kStatusOk : kStatusIoErr; break;
    case kTypeGetId: {
      if (segs.size() != 3 || !segs[1].device_writable) {
        result = kStatusIoErr;
        break;
      }
      char id[kIdBytes] = "edgeward-disk";
      const uint32_t n = std::min<uint32_t>(segs[1].len, kIdBytes);
      EW_TRY(mem.write(segs[1].gpa, {reinterpret_cast<const uint8_t*>(id), n}));
      written += n;
      break;
    }
    default: result = kStatusUnsupported; break;
  }
  EW_TRY(mem.write_obj<uint8_t>(status.gpa + status.len - 1, result));
  return written + 1;
}

Result<bool> VirtioBlk::process_queue(size_t, Queue& queue, const GuestMemory& mem) {
  bool used = false;
  for (;;) {
    EW_ASSIGN(auto chain, queue.pop(mem));
    if (!chain) break;
    EW_ASSIGN(uint32_t written, serve(*chain, mem));
    EW_TRY(queue.push_used(mem, chain->head, written));
    used = true;
  }
  return used;
}

}  // namespace edgeward::vmm
