// Watches the guest console stream for a marker (e.g. "Kernel panic - not syncing") across
// write boundaries, with constant memory.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace edgeward::vmm {

class ConsoleWatch {
 public:
  explicit ConsoleWatch(std::string needle) : needle_(std::move(needle)) {}
  void feed(std::span<const uint8_t> bytes) {
    for (uint8_t b : bytes) {
      if (seen_) return;
      // Naive restart is fine: the needle has no repeated prefix worth a KMP table.
      matched_ = (b == static_cast<uint8_t>(needle_[matched_])) ? matched_ + 1
                 : (b == static_cast<uint8_t>(needle_[0])) ? 1 : 0;
      if (matched_ == needle_.size()) seen_ = true;
    }
  }
  bool seen() const { return seen_; }

 private:
  std::string needle_;
  size_t matched_ = 0;
  bool seen_ = false;
};

}  // namespace edgeward::vmm
