// Builds split virtqueues in a small guest memory for device tests: a descriptor table at
// 0x1000, the available ring at 0x2000, the used ring at 0x3000, buffers from 0x10000 on.
#pragma once

#include <cstring>
#include <vector>

#include "vmm-lite/devices/virtio/queue.h"
#include "vmm-lite/memory/guest_memory.h"

namespace edgeward::vmm::test {

struct VirtqueueRig {
  static constexpr uint64_t kDesc = 0x1000, kAvail = 0x2000, kUsed = 0x3000, kBuffers = 0x10000;
  static constexpr uint16_t kSize = 8;
  static constexpr uint16_t kNext = 1, kWrite = 2, kIndirect = 4;

  GuestMemory mem = std::move(GuestMemory::create({{0, 0x100000}})).value();
  Queue q;
  uint16_t avail_idx = 0;

  VirtqueueRig() {
    q.size = kSize;
    q.desc_gpa = kDesc;
    q.avail_gpa = kAvail;
    q.used_gpa = kUsed;
    q.ready = true;
  }
  void desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next = 0) {
    (void)mem.write_obj(kDesc + 16 * i, addr);
    (void)mem.write_obj(kDesc + 16 * i + 8, len);
    (void)mem.write_obj(kDesc + 16 * i + 12, flags);
    (void)mem.write_obj(kDesc + 16 * i + 14, next);
  }
  // Publishes `head` (and optionally lies about how many entries were added).
  void publish(uint16_t head, uint16_t added = 1) {
    (void)mem.write_obj<uint16_t>(kAvail + 4 + 2 * (avail_idx % kSize), head);
    avail_idx = static_cast<uint16_t>(avail_idx + added);
    (void)mem.write_obj<uint16_t>(kAvail + 2, avail_idx);
  }
  uint16_t used_idx() { return mem.read_obj<uint16_t>(kUsed + 2).value(); }
  uint32_t used_len(uint16_t slot) { return mem.read_obj<uint32_t>(kUsed + 4 + 8 * slot + 4).value(); }
};

}  // namespace edgeward::vmm::test
