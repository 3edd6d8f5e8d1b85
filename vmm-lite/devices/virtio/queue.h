// A split virtqueue (virtio 1.2 §2.7) read from guest memory with every guest-controlled value
// checked: ring indexes, descriptor indexes, chain length (a loop is a chain longer than the
// queue), buffer addresses and lengths. A violation is an Error: the device then stops using
// the queue (DEVICE_NEEDS_RESET) while the VM keeps running.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.h"
#include "vmm-lite/memory/guest_memory.h"

namespace edgeward::vmm {

struct Segment {
  uint64_t gpa;
  uint32_t len;
  bool device_writable;
};

struct DescriptorChain {
  uint16_t head;
  std::vector<Segment> segments;  // readable segments first, then writable ones (checked)
};

class Queue {
 public:
  static constexpr uint16_t kMaxSize = 256;

  // Driver-written configuration (through the transport).
  uint16_t size = kMaxSize;
  bool ready = false;
  uint64_t desc_gpa = 0, avail_gpa = 0, used_gpa = 0;

  // Validates the configuration when the driver sets the queue ready.
  Status validate(const GuestMemory& mem) const;

  // The next available chain, nullopt when the ring is empty.
  Result<std::optional<DescriptorChain>> pop(const GuestMemory& mem);
  // Returns a chain to the driver with `written` bytes written into it.
  Status push_used(const GuestMemory& mem, uint16_t head, uint32_t written);

  void reset();

 private:
  uint16_t last_avail_ = 0;
  uint16_t next_used_ = 0;
};

}  // namespace edgeward::vmm
