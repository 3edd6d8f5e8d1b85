#include "vmm-lite/devices/cmos_rtc.h"

#include <chrono>

namespace edgeward::vmm {
namespace {
uint8_t bcd(int v) { return static_cast<uint8_t>(((v / 10) << 4) | (v % 10)); }
}  // namespace

void CmosRtc::read(uint64_t offset, std::span<uint8_t> data) {
  if (offset != 1) {
    store_le(data, index_);
    return;
  }
  // Civil UTC time by calendar arithmetic: gmtime_r would read /etc/localtime on first use,
  // which the vCPU threads' seccomp policy (rightly) forbids.
  using namespace std::chrono;
  const sys_seconds now{seconds{clock_()}};
  const sys_days day = floor<days>(now);
  const year_month_day ymd{day};
  const hh_mm_ss hms{now - day};
  const int year = static_cast<int>(ymd.year());
  uint8_t v = 0;
  switch (index_) {
    case 0x00: v = bcd(static_cast<int>(hms.seconds().count())); break;
    case 0x02: v = bcd(static_cast<int>(hms.minutes().count())); break;
    case 0x04: v = bcd(static_cast<int>(hms.hours().count())); break;
    case 0x06: v = bcd(static_cast<int>(weekday{day}.c_encoding()) + 1); break;
    case 0x07: v = bcd(static_cast<int>(static_cast<unsigned>(ymd.day()))); break;
    case 0x08: v = bcd(static_cast<int>(static_cast<unsigned>(ymd.month()))); break;
    case 0x09: v = bcd(year % 100); break;
    case 0x32: v = bcd(year / 100); break;  // century
    case 0x0a: v = 0x26; break;                           // 32.768 kHz, no update in progress
    case 0x0b: v = 0x02; break;                           // 24-hour, BCD, no interrupts
    case 0x0c: v = 0x00; break;                           // no interrupt flags
    case 0x0d: v = 0x80; break;                           // RAM and time valid
    default: v = ram_[index_]; break;
  }
  store_le(data, v);
}

void CmosRtc::write(uint64_t offset, std::span<const uint8_t> data) {
  const uint8_t v = static_cast<uint8_t>(load_le(data));
  if (offset == 0) {
    index_ = v & 0x7f;  // bit 7 is the NMI mask
  } else if (offset == 1 && index_ >= 0x0e && index_ != 0x32) {
    ram_[index_] = v;  // general-purpose RAM only; time registers follow the host clock
  }
}

}  // namespace edgeward::vmm
