// Guest physical memory: anonymous host mappings, one per region, and the only way the VMM
// touches guest RAM. Every access is bounds-checked against the regions: a guest-supplied
// address or length that leaves guest RAM (or wraps around) is an Error, never a host access.
// Guest memory changes under our feet (vCPUs run concurrently): read structures once, by copy.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

#include "common/result.h"

namespace edgeward::vmm {

// An anonymous private mapping, unmapped on destruction.
class Mapping {
 public:
  static Result<Mapping> anonymous(uint64_t size);
  Mapping(Mapping&& o) noexcept;
  Mapping& operator=(Mapping&& o) noexcept;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping();

  uint8_t* data() const { return addr_; }
  uint64_t size() const { return size_; }

 private:
  Mapping(uint8_t* addr, uint64_t size) : addr_(addr), size_(size) {}
  uint8_t* addr_ = nullptr;
  uint64_t size_ = 0;
};

struct MemoryRegion {
  uint64_t gpa;
  uint64_t size;
  uint8_t* host;
};

class GuestMemory {
 public:
  // `layout` lists (guest physical address, size) pairs; page-aligned, non-overlapping.
  static Result<GuestMemory> create(const std::vector<std::pair<uint64_t, uint64_t>>& layout);

  const std::vector<MemoryRegion>& regions() const { return regions_; }
  uint64_t total_size() const;

  // Host view of [gpa, gpa+len), which must lie inside one region.
  Result<std::span<uint8_t>> slice(uint64_t gpa, uint64_t len) const;
  Status read(uint64_t gpa, std::span<uint8_t> out) const;
  Status write(uint64_t gpa, std::span<const uint8_t> in) const;

  // Maps the first `size` bytes of the regular file `fd` privately over guest RAM at `gpa` (a
  // multiple of the host page size): the guest reads the file's page-cache pages instead of a copy
  // made before it starts, and its writes go to private copies of those pages (never to the file).
  // The rest of the file's last page reads as zeros; nothing past it changes, nothing past the
  // file's end is mapped. `size` is the size the caller checked the contents at: a file whose size
  // is no longer `size` is refused (mapping a shorter one would fault). The file must not change
  // while the VM runs (edgeward's own launches extract kernel and initrd into a private directory).
  Status map_file(uint64_t gpa, int fd, uint64_t size) const;
  // Puts `bytes` at `gpa`: mapped from `fd` (whose whole contents they are) when `fd` is valid,
  // `gpa` page-aligned and the file smaller than kMapBelow; else copied. A small file is mapped
  // because copying it would make the host zero a whole 2 MiB huge page for a few KiB; a larger one
  // is copied into huge-page-backed RAM because the guest then reaches it through 2 MiB stage-2 /
  // EPT blocks instead of faulting in every 4 KiB page-cache page (a mapped 27 MB arm64 kernel
  // made nested boots ~50% slower: docs/benchmarks.md).
  static constexpr uint64_t kMapBelow = 2ull << 20;
  Status place(uint64_t gpa, std::span<const uint8_t> bytes, int fd = -1) const;
  // Asks the host for small pages over [gpa, gpa+len): a write there then makes the host zero one
  // page, not a whole 2 MiB huge page (boot tables written before the guest starts). A hint.
  void prefer_small_pages(uint64_t gpa, uint64_t len) const;

  template <typename T>
  Result<T> read_obj(uint64_t gpa) const {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    EW_TRY(read(gpa, {reinterpret_cast<uint8_t*>(&v), sizeof(T)}));
    return v;
  }
  template <typename T>
  Status write_obj(uint64_t gpa, const T& v) const {
    static_assert(std::is_trivially_copyable_v<T>);
    return write(gpa, {reinterpret_cast<const uint8_t*>(&v), sizeof(T)});
  }

 private:
  std::vector<Mapping> mappings_;
  std::vector<MemoryRegion> regions_;
};

}  // namespace edgeward::vmm
