// A test double for both firmware writers (devices/firmware_description.h): records every call
// as one line of text, so a device's description is checked without libfdt or the AML encoder.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "vmm-lite/devices/firmware_description.h"

namespace edgeward::vmm {

class DescriptionRecorder final : public DeviceTreeWriter, public AcpiWriter {
 public:
  std::vector<std::string> lines;

  void begin_node(std::string_view name, uint64_t unit) override { add("node " + std::string(name) + "@" + hex(unit)); }
  void end_node() override { add("end node"); }
  void string(const char* p, std::string_view v) override { add(std::string(p) + " = \"" + std::string(v) + "\""); }
  void u32(const char* p, uint32_t v) override { add(std::string(p) + " = " + std::to_string(v)); }
  void flag(const char* p) override { add(std::string(p)); }
  void reg(const Placement& w) override { add("reg " + window_text(w)); }
  void interrupts(uint32_t irq, Trigger t) override { add("interrupts " + std::to_string(irq) + trigger_text(t)); }

  void begin_device(std::string_view name, std::string_view hid, uint64_t uid) override {
    add("device " + std::string(name) + " _HID " + std::string(hid) + " _UID " + std::to_string(uid));
  }
  void end_device() override { add("end device"); }
  void window(const Placement& w) override { add("window " + window_text(w)); }
  void interrupt(uint32_t irq, Trigger t) override { add("interrupt " + std::to_string(irq) + trigger_text(t)); }
  void sleep_state(uint8_t state, uint8_t type) override {
    add("sleep S" + std::to_string(state) + " type " + std::to_string(type));
  }
  void power_registers(const PowerRegisters& r) override {
    add("power control " + hex(r.sleep_control) + " status " + hex(r.sleep_status) + " reset " + hex(r.reset) +
        " value " + hex(r.reset_value));
  }

  static std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
  }

 private:
  void add(std::string line) { lines.push_back(std::move(line)); }
  static std::string window_text(const Placement& w) {
    return std::string(w.space == Placement::Space::kMmio ? "mmio " : "pio ") + hex(w.base) + "+" + hex(w.size);
  }
  static std::string trigger_text(Trigger t) { return t == Trigger::kEdgeRising ? " edge-rising" : " level-high"; }
};

}  // namespace edgeward::vmm
