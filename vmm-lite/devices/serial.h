// 16550A UART (8 registers at a port base, e.g. COM1 0x3f8 / IRQ 4, or in an MMIO window): the
// guest console. Transmitted bytes go to an output callback; input bytes are queued by the console
// thread. Described to the guest as an `ns16550a` device-tree node or an ACPI PNP0501 device.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <string_view>

#include "vmm-lite/devices/device.h"
#include "vmm-lite/devices/firmware_description.h"

namespace edgeward::vmm {

class Serial : public Device, public FirmwareDescribed {
 public:
  using Output = std::function<void(std::span<const uint8_t>)>;
  Serial(IrqLine irq, Output out) : irq_(std::move(irq)), out_(std::move(out)) {}

  std::string_view name() const override { return "serial-16550"; }
  void read(uint64_t offset, std::span<uint8_t> data) override;
  void write(uint64_t offset, std::span<const uint8_t> data) override;
  void describe(DeviceTreeWriter& out, const Placement& where) const override;
  void describe(AcpiWriter& out, const Placement& where) const override;

  // Queues guest input; called by the console thread, concurrently with vCPU accesses.
  void enqueue_input(std::span<const uint8_t> bytes);

  static constexpr size_t kRxLimit = 4096;
  static constexpr uint32_t kClockHz = 1843200;  // 115200 baud x 16: what the 8250 driver divides

 private:
  uint8_t iir() const;
  void update_irq();  // pulses the line when an interrupt is pending

  std::mutex mu_;  // the console thread and vCPU threads both reach the FIFO
  IrqLine irq_;
  Output out_;
  std::deque<uint8_t> rx_;
  uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0x08, scr_ = 0, dll_ = 0x0c, dlm_ = 0, fcr_ = 0;
  bool thr_empty_pending_ = false;
};

}  // namespace edgeward::vmm
