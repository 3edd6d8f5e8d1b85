// virtio-net (virtio 1.2 §5.1), one rx/tx queue pair, every offload off: the device offers only
// VIRTIO_NET_F_MAC (plus VIRTIO_F_VERSION_1 from the transport), so every header the driver
// sends is the 12-byte virtio_net_hdr_v1 with no checksum or segmentation work asked for, and
// every header the device writes is zero (num_buffers 1). Frames go to and come from a host fd
// that keeps frame boundaries: a TAP opened with IFF_NO_PI and without IFF_VNET_HDR (tap.h),
// or a SOCK_DGRAM/SOCK_SEQPACKET socket in tests. The fd must be non-blocking.
#pragma once

#include <array>
#include <atomic>
#include <vector>

#include "vmm-lite/devices/virtio/virtio_device.h"

namespace edgeward::vmm {

class VirtioNet : public VirtioDevice {
 public:
  static constexpr size_t kReceiveQueue = 0, kTransmitQueue = 1;
  static constexpr uint32_t kHeaderBytes = 12;  // struct virtio_net_hdr_v1
  // Largest Ethernet frame either way (no GSO: 64 KiB is more than any MTU the driver can set).
  static constexpr uint32_t kMaxFrame = 65536;
  using Mac = std::array<uint8_t, 6>;

  // `fd` is owned by the Machine (or the test).
  VirtioNet(int fd, Mac mac) : fd_(fd), mac_(mac) {}

  // A locally administered unicast MAC (02:45:57:xx:xx:xx, "EW") derived from `seed`.
  static Mac mac_from(std::string_view seed);

  std::string_view name() const override { return "net"; }
  uint32_t device_id() const override { return 1; }
  uint64_t features() const override;
  size_t num_queues() const override { return 2; }
  void read_config(uint64_t offset, std::span<uint8_t> data) override;
  Result<bool> process_queue(size_t index, Queue& queue, const GuestMemory& mem) override;
  void reset() override;

  // True while a frame read from the fd waits for a guest receive buffer: the host loop then
  // stops polling the fd until the driver posts buffers (its notify drains the frame).
  // The host loop saw the fd readable and is about to notify the receive queue: until that
  // notify drains the fd (it may not run: driver not ready, device stopped) the fd is not polled.
  void host_readable() { rx_stalled_.store(true, std::memory_order_relaxed); }
  bool rx_stalled() const { return rx_stalled_.load(std::memory_order_relaxed); }
  uint64_t tx_dropped() const { return tx_dropped_; }
  uint64_t rx_dropped() const { return rx_dropped_; }

 private:
  Result<bool> transmit(Queue& queue, const GuestMemory& mem);
  Result<bool> receive(Queue& queue, const GuestMemory& mem);
  // Reads the next frame from the fd into rx_frame_; false when there is none.
  bool fill_rx_frame();

  int fd_;
  Mac mac_;
  std::vector<uint8_t> rx_frame_;  // one frame read from the fd, not yet delivered
  bool rx_has_frame_ = false;
  std::atomic<bool> rx_stalled_{false};
  std::vector<uint8_t> tx_frame_;
  uint64_t tx_dropped_ = 0, rx_dropped_ = 0;
};

}  // namespace edgeward::vmm
