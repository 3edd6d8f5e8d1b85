#include "vmm-lite/memory/guest_memory.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

#include "common/errno_error.h"
#include "common/hex.h"

namespace edgeward::vmm {

Result<Mapping> Mapping::anonymous(uint64_t size) {
  // Guest RAM is aligned to 2 MiB so that host huge pages and KVM's large EPT/stage-2 mappings
  // line up with guest-physical 2 MiB pages: far fewer faults while the guest touches memory
  // (it decompresses its kernel into tens of MiB at boot). Over-map, then trim both ends.
  constexpr uint64_t kHuge = 2ull << 20;
  const uint64_t span = size + kHuge;
  void* p = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return errno_error("mapping " + std::to_string(size >> 20) + " MiB of guest memory");
  const auto base = reinterpret_cast<uintptr_t>(p);
  const uintptr_t aligned = (base + kHuge - 1) & ~(kHuge - 1);
  if (aligned > base) ::munmap(p, aligned - base);
  if (base + span > aligned + size) ::munmap(reinterpret_cast<void*>(aligned + size), base + span - (aligned + size));
  auto* mem = reinterpret_cast<uint8_t*>(aligned);
  ::madvise(mem, size, MADV_HUGEPAGE);  // a hint; without THP it is ignored
  ::madvise(mem, size, MADV_DONTDUMP);  // guest RAM never belongs in a core dump of the VMM
  return Mapping(mem, size);
}

Mapping::Mapping(Mapping&& o) noexcept
    : addr_(std::exchange(o.addr_, nullptr)), size_(std::exchange(o.size_, 0)) {}

Mapping& Mapping::operator=(Mapping&& o) noexcept {
  if (this != &o) {
    if (addr_) ::munmap(addr_, size_);
    addr_ = std::exchange(o.addr_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

Mapping::~Mapping() {
  if (addr_) ::munmap(addr_, size_);
}

Result<GuestMemory> GuestMemory::create(const std::vector<std::pair<uint64_t, uint64_t>>& layout) {
  GuestMemory m;
  uint64_t prev_end = 0;
  for (const auto& [gpa, size] : layout) {
    if (size == 0 || (gpa | size) & 0xfff || gpa < prev_end || gpa + size < gpa) {
      return Error::internal("bad guest memory layout (unaligned, overlapping or wrapping region)");
    }
    EW_ASSIGN(Mapping map, Mapping::anonymous(size));
    m.regions_.push_back({gpa, size, map.data()});
    m.mappings_.push_back(std::move(map));
    prev_end = gpa + size;
  }
  return m;
}

uint64_t GuestMemory::total_size() const {
  uint64_t total = 0;
  for (const auto& r : regions_) total += r.size;
  return total;
}

Result<std::span<uint8_t>> GuestMemory::slice(uint64_t gpa, uint64_t len) const {
  for (const auto& r : regions_) {
    // Written to avoid overflow: gpa >= r.gpa, and len fits in what is left of the region.
    if (gpa >= r.gpa && gpa - r.gpa < r.size && len <= r.size - (gpa - r.gpa)) {
      return std::span<uint8_t>(r.host + (gpa - r.gpa), len);
    }
  }
  return Error::invalid("guest address range [" + hex(gpa) + ", +" + hex(len) + ") is outside guest RAM");
}

Status GuestMemory::read(uint64_t gpa, std::span<uint8_t> out) const {
  EW_ASSIGN(auto src, slice(gpa, out.size()));
  std::memcpy(out.data(), src.data(), out.size());
  return {};
}

Status GuestMemory::write(uint64_t gpa, std::span<const uint8_t> in) const {
  EW_ASSIGN(auto dst, slice(gpa, in.size()));
  std::memcpy(dst.data(), in.data(), in.size());
  return {};
}

Status GuestMemory::map_file(uint64_t gpa, int fd, uint64_t size) const {
  if (size == 0) return {};
  const auto page = static_cast<uint64_t>(::getpagesize());
  if (gpa % page != 0) return Error::internal("a file can only be mapped at a page-aligned guest address, not " + hex(gpa));
  if (size > UINT64_MAX - page) return Error::invalid("file size " + hex(size) + " is out of range");
  const uint64_t len = (size + page - 1) & ~(page - 1);
  EW_ASSIGN(auto dst, slice(gpa, len));
  struct stat st {};
  if (::fstat(fd, &st) != 0) return errno_error("stat of the file to map into guest memory");
  if (!S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) != size) {
    return Error::invalid("the file to map into guest memory changed size since it was checked (" + std::to_string(size) +
                          " bytes, now " + std::to_string(st.st_size) + "); keep kernel and initrd unchanged while a VM starts");
  }
  void* p = ::mmap(dst.data(), len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
  if (p == MAP_FAILED) return errno_error("mapping a file into guest memory at " + hex(gpa));
  ::madvise(p, len, MADV_DONTDUMP);  // a new mapping: the region's advice does not carry over
  return {};
}

Status GuestMemory::place(uint64_t gpa, std::span<const uint8_t> bytes, int fd) const {
  if (fd >= 0 && bytes.size() < kMapBelow && gpa % static_cast<uint64_t>(::getpagesize()) == 0) {
    return map_file(gpa, fd, bytes.size());
  }
  return write(gpa, bytes);
}

void GuestMemory::prefer_small_pages(uint64_t gpa, uint64_t len) const {
  auto r = slice(gpa, len);
  const auto page = static_cast<uintptr_t>(::getpagesize());
  if (!r || r->empty()) return;
  const auto start = reinterpret_cast<uintptr_t>(r->data()) & ~(page - 1);
  ::madvise(reinterpret_cast<void*>(start), reinterpret_cast<uintptr_t>(r->data()) + len - start, MADV_NOHUGEPAGE);
}

}  // namespace edgeward::vmm
