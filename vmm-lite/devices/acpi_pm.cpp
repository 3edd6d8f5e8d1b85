#include "vmm-lite/devices/acpi_pm.h"

namespace edgeward::vmm {
namespace {
constexpr uint8_t kSlpEn = 1 << 5;
constexpr uint8_t kSlpTypShift = 2, kSlpTypMask = 0x7;
}  // namespace

void AcpiPm::read(uint64_t, std::span<uint8_t> data) { store_le(data, 0); }

void AcpiPm::write(uint64_t offset, std::span<const uint8_t> data) {
  const uint8_t v = static_cast<uint8_t>(load_le(data));
  if (offset == kSleepControl && (v & kSlpEn) && ((v >> kSlpTypShift) & kSlpTypMask) == kS5SleepType) {
    if (stop_) stop_(StopReason::kPowerOff);
  } else if (offset == kReset && v == kResetValue) {
    if (stop_) stop_(StopReason::kReset);
  }
}

void AcpiPm::describe(AcpiWriter& out, const Placement& where) const {
  out.sleep_state(5, kS5SleepType);
  const auto port = [&](uint64_t offset) { return static_cast<uint16_t>(where.base + offset); };
  out.power_registers({port(kSleepControl), port(kSleepStatus), port(kReset), kResetValue});
}

}  // namespace edgeward::vmm
