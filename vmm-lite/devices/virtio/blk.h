// virtio-blk (virtio 1.2 §5.2) backed by a disk image file, read-only or read-write.
// Requests are served synchronously on the vCPU thread that notified the queue.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "vmm-lite/devices/virtio/virtio_device.h"

namespace edgeward::vmm {

class VirtioBlk : public VirtioDevice {
 public:
  static constexpr uint32_t kSectorSize = 512;

  // Opens the image; its size must be a whole number of 512-byte sectors.
  static Result<std::unique_ptr<VirtioBlk>> open(const std::string& path, bool read_only);

  std::string_view name() const override { return "blk"; }
  uint32_t device_id() const override { return 2; }
  uint64_t features() const override;
  size_t num_queues() const override { return 1; }
  void read_config(uint64_t offset, std::span<uint8_t> data) override;
  Result<bool> process_queue(size_t index, Queue& queue, const GuestMemory& mem) override;

  VirtioBlk(UniqueFd fd, uint64_t sectors, bool read_only)
      : fd_(std::move(fd)), sectors_(sectors), read_only_(read_only) {}

 private:
  // Serves one chain; returns the bytes written into guest buffers (data + status).
  Result<uint32_t> serve(const DescriptorChain& chain, const GuestMemory& mem);
  uint8_t transfer(uint32_t type, uint64_t sector, const DescriptorChain& chain, const GuestMemory& mem,
                   uint32_t& written);

  UniqueFd fd_;
  uint64_t sectors_;
  bool read_only_;
};

}  // namespace edgeward::vmm
