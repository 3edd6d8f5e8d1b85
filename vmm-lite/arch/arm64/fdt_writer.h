// The device-tree writer of the arm64 microVM: libfdt's sequential-write API behind the
// DeviceTreeWriter the device models describe themselves to, plus what the platform's own nodes
// need (plain nodes, 64-bit values, byte strings, raw cells). Root #address-cells and
// #size-cells are 2; interrupts are GIC specifiers (type, number, flags) for SPIs. Every libfdt
// error, or a request the tree cannot express, is kept; the first one wins and finish() reports it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "vmm-lite/devices/firmware_description.h"

namespace edgeward::vmm::arm64 {

// Interrupt specifier cells of the GIC bindings: type, then flags.
constexpr uint32_t kGicSpi = 0, kGicPpi = 1;
constexpr uint32_t kIrqEdgeRising = 1, kIrqLevelHigh = 4, kIrqLevelLow = 8;

// "name@<hex unit address>", the device-tree node name of a device at `unit_address`.
std::string unit_name(std::string_view name, uint64_t unit_address);

class FdtWriter final : public DeviceTreeWriter {
 public:
  explicit FdtWriter(size_t size);

  void begin_node(std::string_view name, uint64_t unit_address) override;
  void end_node() override;
  void string(const char* property, std::string_view value) override;
  void u32(const char* property, uint32_t value) override;
  void flag(const char* property) override;
  void reg(const Placement& where) override;
  void interrupts(uint32_t spi, Trigger trigger) override;

  void finish_reservemap();
  void begin(std::string_view name);  // a node without a unit address ("" is the root)
  // A string list ("a\0b\0"), given with its embedded NULs.
  void strings(const char* property, std::string_view nul_separated);
  void u64(const char* property, uint64_t value);
  void bytes(const char* property, const std::vector<uint8_t>& value);
  void cells(const char* property, const std::vector<uint32_t>& value);
  // reg of (address, size) pairs.
  void reg(const std::vector<std::pair<uint64_t, uint64_t>>& ranges);
  // Records an error of the caller (e.g. a device that left a node open).
  void fail(std::string message);

  int depth() const { return depth_; }
  bool out_of_space() const;
  // The packed blob, or the first error.
  Result<std::vector<uint8_t>> finish();

 private:
  void check(int rc);

  std::vector<uint8_t> buf_;
  int err_ = 0;          // the first libfdt error
  std::string message_;  // or the first request the tree cannot express
  int depth_ = 0;
};

}  // namespace edgeward::vmm::arm64
