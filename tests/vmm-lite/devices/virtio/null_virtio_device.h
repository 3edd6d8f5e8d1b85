// A virtio device with one queue that serves nothing: for tests of the transport's own behaviour
// (registers, firmware description) where no device model matters.
#pragma once

#include "vmm-lite/devices/virtio/virtio_device.h"

namespace edgeward::vmm::test {

class NullVirtioDevice final : public VirtioDevice {
 public:
  std::string_view name() const override { return "null"; }
  uint32_t device_id() const override { return 2; }
  uint64_t features() const override { return 0; }
  size_t num_queues() const override { return 1; }
  void read_config(uint64_t, std::span<uint8_t> data) override { std::fill(data.begin(), data.end(), 0); }
  Result<bool> process_queue(size_t, Queue&, const GuestMemory&) override { return false; }
};

}  // namespace edgeward::vmm::test
