// virtio-console (virtio 1.2 §5.3), one port, no multiport: the channel to a guest agent.
// Guest output (transmitq) is written to a host file descriptor (a connected unix socket);
// host input is queued (bounded) and copied into the guest's receiveq buffers as they come.
#pragma once

#include <deque>

#include "common/unique_fd.h"
#include "vmm-lite/devices/device.h"
#include "vmm-lite/devices/virtio/virtio_device.h"

namespace edgeward::vmm {

class VirtioConsole : public VirtioDevice {
 public:
  static constexpr size_t kReceiveQueue = 0, kTransmitQueue = 1;
  static constexpr size_t kMaxPending = 64 * 1024;

  explicit VirtioConsole(int host_fd) : host_fd_(host_fd) {}

  std::string_view name() const override { return "console"; }
  uint32_t device_id() const override { return 3; }
  uint64_t features() const override { return 0; }
  size_t num_queues() const override { return 2; }
  void read_config(uint64_t, std::span<uint8_t> data) override;
  Result<bool> process_queue(size_t index, Queue& queue, const GuestMemory& mem) override;

  // Queues bytes from the host for the guest; returns how many were accepted (the rest would
  // exceed kMaxPending: the host side must slow down).
  size_t host_input(std::span<const uint8_t> bytes);
  size_t pending() const { return pending_.size(); }

 private:
  Result<bool> transmit(Queue& queue, const GuestMemory& mem);
  Result<bool> receive(Queue& queue, const GuestMemory& mem);

  int host_fd_;  // owned by the Machine
  std::deque<uint8_t> pending_;
};

}  // namespace edgeward::vmm
