// MC146818 CMOS real-time clock at ports 0x70 (index) / 0x71 (data): the host's UTC time in
// BCD, never "update in progress", valid RAM. Enough for the kernel's boot-time clock read and
// the rtc_cmos driver; no alarms or periodic interrupts.
#pragma once

#include <array>
#include <ctime>
#include <functional>

#include "vmm-lite/devices/device.h"

namespace edgeward::vmm {

class CmosRtc : public Device {
 public:
  using Clock = std::function<std::time_t()>;
  explicit CmosRtc(Clock clock = [] { return std::time(nullptr); }) : clock_(std::move(clock)) {}
  std::string_view name() const override { return "cmos-rtc"; }
  void read(uint64_t offset, std::span<uint8_t> data) override;
  void write(uint64_t offset, std::span<const uint8_t> data) override;

 private:
  Clock clock_;
  uint8_t index_ = 0;
  std::array<uint8_t, 128> ram_{};
};

}  // namespace edgeward::vmm
