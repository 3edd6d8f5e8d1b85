// The one interface every emulated device implements: register-window reads and writes at an
// offset into the range it was registered at on a bus (port I/O or MMIO). Accesses come from
// vCPU threads with guest-controlled offsets and sizes; the bus serialises them per device.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

namespace edgeward::vmm {

class Device {
 public:
  virtual ~Device() = default;
  virtual std::string_view name() const = 0;
  // `data` is 1 to 8 bytes. Unknown registers read as zero (or all ones where hardware
  // would float) and ignore writes: a guest poking them must not disturb the VMM.
  virtual void read(uint64_t offset, std::span<uint8_t> data) = 0;
  virtual void write(uint64_t offset, std::span<const uint8_t> data) = 0;
};

// An interrupt line of the in-kernel irqchip, as a device sees it.
using IrqLine = std::function<void(bool level)>;

// How devices end the VM: the guest powered off, or asked for a reset.
enum class StopReason { kNone, kPowerOff, kReset, kTripleFault, kError };
using StopRequest = std::function<void(StopReason)>;

// Little-endian helpers for register values of any access width.
inline uint64_t load_le(std::span<const uint8_t> d) {
  uint64_t v = 0;
  for (size_t i = 0; i < d.size() && i < 8; ++i) v |= uint64_t{d[i]} << (8 * i);
  return v;
}
inline void store_le(std::span<uint8_t> d, uint64_t v) {
  for (size_t i = 0; i < d.size(); ++i) d[i] = i < 8 ? static_cast<uint8_t>(v >> (8 * i)) : 0;
}

}  // namespace edgeward::vmm
