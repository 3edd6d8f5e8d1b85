#include "vmm-lite/devices/bus.h"

#include <algorithm>

#include "common/hex.h"

namespace edgeward::vmm {

Status Bus::add(uint64_t base, uint64_t len, std::shared_ptr<Device> device) {
  if (len == 0 || base + len < base) return Error::internal(name_ + ": empty or wrapping range at " + hex(base));
  for (const Entry& e : entries_) {
    if (base < e.base + e.len && e.base < base + len) {
      return Error::internal(name_ + ": " + std::string(device->name()) + " at " + hex(base) + " overlaps " +
                             std::string(e.device->name()) + " at " + hex(e.base));
    }
  }
  entries_.push_back({base, len, std::move(device), std::make_unique<std::mutex>()});
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.base < b.base; });
  return {};
}

Bus::Entry* Bus::find(uint64_t addr, uint64_t size) {
  auto it = std::upper_bound(entries_.begin(), entries_.end(), addr,
                             [](uint64_t a, const Entry& e) { return a < e.base; });
  if (it == entries_.begin()) return nullptr;
  --it;
  // The whole access must fall inside the device's range (no straddling into a neighbour).
  if (addr - it->base >= it->len || size > it->len - (addr - it->base)) return nullptr;
  return &*it;
}

bool Bus::read(uint64_t addr, std::span<uint8_t> data) {
  Entry* e = find(addr, data.size());
  if (!e) {
    unhandled_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  std::lock_guard lock(*e->lock);
  e->device->read(addr - e->base, data);
  return true;
}

bool Bus::write(uint64_t addr, std::span<const uint8_t> data) {
  Entry* e = find(addr, data.size());
  if (!e) {
    unhandled_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  std::lock_guard lock(*e->lock);
  e->device->write(addr - e->base, data);
  return true;
}

}  // namespace edgeward::vmm
