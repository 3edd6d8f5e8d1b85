// i8042 keyboard controller, only as much as a guest needs to reset the machine: the "pulse
// reset line" command (0xfe written to port 0x64) ends the VM. Ports 0x60 (data) and 0x64.
#pragma once

#include "vmm-lite/devices/device.h"

namespace edgeward::vmm {

class I8042 : public Device {
 public:
  explicit I8042(StopRequest stop) : stop_(std::move(stop)) {}
  std::string_view name() const override { return "i8042"; }
  // Registered at 0x60 with length 5: offset 0 is data, offset 4 is status/command.
  void read(uint64_t offset, std::span<uint8_t> data) override;
  void write(uint64_t offset, std::span<const uint8_t> data) override;

 private:
  StopRequest stop_;
  uint8_t command_byte_ = 0x45;
  int pending_read_ = -1;  // byte the next data-port read returns, or -1
  uint8_t last_command_ = 0;
};

}  // namespace edgeward::vmm
