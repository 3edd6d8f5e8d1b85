// The hardware-reduced ACPI power registers the FADT points at (ACPI 6.4 §4.8.3.7): a sleep
// control register, a sleep status register and a reset register. Writing SLP_EN with the
// sleep type of \_S5 powers the VM off; writing the reset value resets (ends) it. It describes
// itself to ACPI as that \_S5 package and the FADT's power registers; device-tree machines power
// off through PSCI and have no such device.
#pragma once

#include "vmm-lite/devices/device.h"
#include "vmm-lite/devices/firmware_description.h"

namespace edgeward::vmm {

class AcpiPm : public Device, public FirmwareDescribed {
 public:
  // Port layout, relative to the base the FADT names.
  static constexpr uint64_t kSleepControl = 0, kSleepStatus = 1, kReset = 2, kSize = 4;
  static constexpr uint8_t kS5SleepType = 5;  // the SLP_TYP its \_S5 package tells the guest
  static constexpr uint8_t kResetValue = 0x01;

  explicit AcpiPm(StopRequest stop) : stop_(std::move(stop)) {}
  std::string_view name() const override { return "acpi-pm"; }
  void read(uint64_t offset, std::span<uint8_t> data) override;
  void write(uint64_t offset, std::span<const uint8_t> data) override;
  void describe(DeviceTreeWriter&, const Placement&) const override {}
  void describe(AcpiWriter& out, const Placement& where) const override;

 private:
  StopRequest stop_;
};

}  // namespace edgeward::vmm
