#include "vmm-lite/devices/virtio/queue.h"

#include <atomic>

namespace edgeward::vmm {
namespace {

struct Desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};
static_assert(sizeof(Desc) == 16);

constexpr uint16_t kDescNext = 1, kDescWrite = 2, kDescIndirect = 4;
// Upper bound of one chain's total length: larger requests are refused rather than served.
constexpr uint64_t kMaxChainBytes = uint64_t{1} << 30;

// Ring layouts: avail = flags, idx, ring[size], used_event; used = flags, idx, {id,len}[size].
uint64_t avail_ring_bytes(uint16_t size) { return 4 + 2 * uint64_t{size} + 2; }
uint64_t used_ring_bytes(uint16_t size) { return 4 + 8 * uint64_t{size} + 2; }

}  // namespace

Status Queue::validate(const GuestMemory& mem) const {
  if (size == 0 || size > kMaxSize || (size & (size - 1)) != 0) {
    return Error::invalid("virtqueue size " + std::to_string(size) + " is not a power of two <= 256");
  }
  if (desc_gpa % 16 || avail_gpa % 2 || used_gpa % 4) return Error::invalid("virtqueue rings are misaligned");
  EW_TRY(mem.slice(desc_gpa, 16 * uint64_t{size}));
  EW_TRY(mem.slice(avail_gpa, avail_ring_bytes(size)));
  EW_TRY(mem.slice(used_gpa, used_ring_bytes(size)));
  return {};
}

Result<std::optional<DescriptorChain>> Queue::pop(const GuestMemory& mem) {
  EW_ASSIGN(uint16_t avail_idx, mem.read_obj<uint16_t>(avail_gpa + 2));
  // Acquire: ring entries are read after the index that publishes them.
  std::atomic_thread_fence(std::memory_order_acquire);
  const uint16_t pending = static_cast<uint16_t>(avail_idx - last_avail_);
  if (pending == 0) return std::optional<DescriptorChain>{};
  if (pending > size) {
    return Error::invalid("driver claims " + std::to_string(pending) + " available buffers in a queue of " +
                          std::to_string(size));
  }
  EW_ASSIGN(uint16_t head, mem.read_obj<uint16_t>(avail_gpa + 4 + 2 * static_cast<uint64_t>(last_avail_ % size)));
  if (head >= size) return Error::invalid("available ring names descriptor " + std::to_string(head) + " of " + std::to_string(size));

  DescriptorChain chain{head, {}};
  uint16_t index = head;
  uint64_t total = 0;
  bool seen_writable = false;
  for (;;) {
    if (chain.segments.size() >= size) return Error::invalid("descriptor chain loops or is longer than the queue");
    EW_ASSIGN(Desc d, mem.read_obj<Desc>(desc_gpa + 16 * uint64_t{index}));
    if (d.flags & kDescIndirect) return Error::invalid("indirect descriptors were not negotiated");
    const bool writable = d.flags & kDescWrite;
    if (seen_writable && !writable) return Error::invalid("readable descriptor after a writable one");
    seen_writable = seen_writable || writable;
    total += d.len;
    if (total > kMaxChainBytes) return Error::invalid("descriptor chain is larger than 1 GiB");
    EW_TRY(mem.slice(d.addr, d.len));  // the whole buffer must be guest RAM
    chain.segments.push_back({d.addr, d.len, writable});
    if (!(d.flags & kDescNext)) break;
    if (d.next >= size) return Error::invalid("descriptor points at index " + std::to_string(d.next) + " past the queue");
    index = d.next;
  }
  ++last_avail_;
  return std::optional<DescriptorChain>{std::move(chain)};
}

Status Queue::push_used(const GuestMemory& mem, uint16_t head, uint32_t written) {
  const uint64_t elem = used_gpa + 4 + 8 * static_cast<uint64_t>(next_used_ % size);
  EW_TRY(mem.write_obj<uint32_t>(elem, head));
  EW_TRY(mem.write_obj<uint32_t>(elem + 4, written));
  ++next_used_;
  // Release: the element is visible before the index that publishes it.
  std::atomic_thread_fence(std::memory_order_release);
  EW_TRY(mem.write_obj<uint16_t>(used_gpa + 2, next_used_));
  return {};
}

void Queue::reset() {
  *this = Queue{};
}

}  // namespace edgeward::vmm
