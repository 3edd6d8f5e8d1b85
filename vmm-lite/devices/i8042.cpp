#include "vmm-lite/devices/i8042.h"

namespace edgeward::vmm {
namespace {
constexpr uint64_t kData = 0, kCommand = 4;
constexpr uint8_t kStatusOutputFull = 0x01, kStatusSystem = 0x04;
constexpr uint8_t kCmdReadCommandByte = 0x20, kCmdWriteCommandByte = 0x60, kCmdSelfTest = 0xaa,
                  kCmdPulseReset = 0xfe;
}  // namespace

void I8042::read(uint64_t offset, std::span<uint8_t> data) {
  uint8_t v = 0;
  if (offset == kCommand) {
    v = kStatusSystem | (pending_read_ >= 0 ? kStatusOutputFull : 0);
  } else if (offset == kData && pending_read_ >= 0) {
    v = static_cast<uint8_t>(pending_read_);
    pending_read_ = -1;
  }
  store_le(data, v);
}

void I8042::write(uint64_t offset, std::span<const uint8_t> data) {
  const uint8_t v = static_cast<uint8_t>(load_le(data));
  if (offset == kCommand) {
    last_command_ = v;
    switch (v) {
      case kCmdReadCommandByte: pending_read_ = command_byte_; break;
      case kCmdSelfTest: pending_read_ = 0x55; break;
      case kCmdPulseReset:
        if (stop_) stop_(StopReason::kReset);
        break;
      default: break;
    }
  } else if (offset == kData && last_command_ == kCmdWriteCommandByte) {
    command_byte_ = v;
    last_command_ = 0;
  }
}

}  // namespace edgeward::vmm
