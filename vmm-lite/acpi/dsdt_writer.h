// The ACPI writer the device models describe themselves to (devices/firmware_description.h),
// over the AML encoder: devices become Device() objects in Scope(\_SB_), sleep states become
// root-level \_Sx_ packages, and the power registers are kept for the FADT. The first request
// ACPI cannot express (a name that is not one 4-character segment, a window outside 32 bits,
// a device left open) is kept and reported by dsdt_body().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "vmm-lite/acpi/aml.h"
#include "vmm-lite/devices/firmware_description.h"

namespace edgeward::vmm::acpi {

class DsdtWriter final : public AcpiWriter {
 public:
  void begin_device(std::string_view name, std::string_view hid, uint64_t uid) override;
  void end_device() override;
  void window(const Placement& where) override;
  void interrupt(uint32_t irq, Trigger trigger) override;
  void sleep_state(uint8_t state, uint8_t type) override;
  void power_registers(const PowerRegisters& registers) override;

  // The DSDT's AML body: Scope(\_SB_) { the devices, in order } then the root-level names.
  Result<aml::Bytes> dsdt_body() const;
  // The power registers a device described, if one did.
  const std::optional<PowerRegisters>& power() const { return power_; }

 private:
  void fail(std::string message);

  struct OpenDevice {
    std::string name;
    std::vector<aml::Bytes> terms;  // _HID, _UID
    std::vector<aml::Bytes> crs;
  };
  std::optional<OpenDevice> open_;
  std::vector<aml::Bytes> devices_;
  std::vector<aml::Bytes> root_;
  std::optional<PowerRegisters> power_;
  std::string error_;
};

}  // namespace edgeward::vmm::acpi
