// virtio-mmio transport, version 2 (virtio 1.2 §4.2): a 4 KiB register window per device,
// described to the guest with its interrupt line as a `virtio,mmio` device-tree node (arm64) or
// an ACPI device with _HID LNRO0005 (x86_64).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "vmm-lite/devices/device.h"
#include "vmm-lite/devices/firmware_description.h"
#include "vmm-lite/devices/virtio/virtio_device.h"

namespace edgeward::vmm {

class VirtioMmio : public Device, public FirmwareDescribed {
 public:
  static constexpr uint64_t kWindowSize = 0x1000;
  static constexpr uint32_t kStatusNeedsReset = 0x40;

  VirtioMmio(std::unique_ptr<VirtioDevice> device, const GuestMemory& mem, IrqLine irq);
  std::string_view name() const override { return name_; }
  void read(uint64_t offset, std::span<uint8_t> data) override;
  void write(uint64_t offset, std::span<const uint8_t> data) override;
  void describe(DeviceTreeWriter& out, const Placement& where) const override;
  void describe(AcpiWriter& out, const Placement& where) const override;

  // Runs `fn` on the device and then serves queue `index`, from a host I/O thread (under the
  // same lock as the guest's register accesses).
  void host_event(const std::function<void(VirtioDevice&)>& fn, uint32_t index);

  uint32_t status() const { return status_; }
  // Why the device stopped (DEVICE_NEEDS_RESET), empty while it is healthy.
  const std::string& fault() const { return fault_; }

 private:
  Queue* selected();
  void notify(uint32_t queue_index);
  void set_fault(const std::string& why);
  void reset();
  void raise(uint32_t bits);

  std::mutex mu_;  // guest register accesses (vCPU threads) and host events (I/O thread)
  std::unique_ptr<VirtioDevice> dev_;
  const GuestMemory& mem_;
  IrqLine irq_;
  std::string name_;
  std::vector<Queue> queues_;
  uint32_t status_ = 0;
  uint32_t device_features_sel_ = 0, driver_features_sel_ = 0, queue_sel_ = 0;
  uint64_t driver_features_ = 0;
  uint32_t interrupt_status_ = 0;
  uint32_t config_generation_ = 0;
  std::string fault_;
};

}  // namespace edgeward::vmm
