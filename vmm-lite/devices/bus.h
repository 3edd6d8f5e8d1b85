// An address space (port I/O or MMIO) on which devices register non-overlapping ranges.
// Dispatch is a lookup by address; each device is called under its own lock, so vCPU threads
// never run one device's code concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "vmm-lite/devices/device.h"

namespace edgeward::vmm {

class Bus {
 public:
  explicit Bus(std::string name) : name_(std::move(name)) {}

  // Fails when [base, base+len) overlaps a registered range or wraps around.
  Status add(uint64_t base, uint64_t len, std::shared_ptr<Device> device);

  // False when no device covers the whole access (the caller decides what the guest sees).
  bool read(uint64_t addr, std::span<uint8_t> data);
  bool write(uint64_t addr, std::span<const uint8_t> data);

  uint64_t unhandled_accesses() const { return unhandled_; }

 private:
  struct Entry {
    uint64_t base;
    uint64_t len;
    std::shared_ptr<Device> device;
    std::unique_ptr<std::mutex> lock;
  };
  Entry* find(uint64_t addr, uint64_t size);

  std::string name_;
  std::vector<Entry> entries_;  // sorted by base
  std::atomic<uint64_t> unhandled_{0};  // statistics only
};

}  // namespace edgeward::vmm
