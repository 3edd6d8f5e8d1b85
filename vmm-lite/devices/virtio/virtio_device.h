// What a virtio device model implements; the transport (virtio_mmio.h) owns the queues,
// feature negotiation, status and interrupts, and calls the device when the driver notifies.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.h"
#include "vmm-lite/devices/virtio/queue.h"
#include "vmm-lite/memory/guest_memory.h"

namespace edgeward::vmm {

constexpr uint64_t kVirtioFVersion1 = uint64_t{1} << 32;

class VirtioDevice {
 public:
  virtual ~VirtioDevice() = default;
  virtual std::string_view name() const = 0;
  virtual uint32_t device_id() const = 0;
  // Device-specific feature bits (the transport adds VIRTIO_F_VERSION_1).
  virtual uint64_t features() const = 0;
  virtual size_t num_queues() const = 0;
  virtual void read_config(uint64_t offset, std::span<uint8_t> data) = 0;
  virtual void write_config(uint64_t, std::span<const uint8_t>) {}
  // Serves the available buffers of queue `index`. Returns whether buffers were used (so the
  // driver must be interrupted); an Error means the driver broke the protocol.
  virtual Result<bool> process_queue(size_t index, Queue& queue, const GuestMemory& mem) = 0;
  virtual void reset() {}
};

}  // namespace edgeward::vmm
