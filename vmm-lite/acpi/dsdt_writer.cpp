#include "vmm-lite/acpi/dsdt_writer.h"

#include <cstdio>

namespace edgeward::vmm::acpi {
namespace {

// One NameSeg (ACPI 6.4 §20.2.2): a leading A-Z or '_', then A-Z, 0-9 or '_', 4 characters.
bool name_seg(std::string_view s) {
  if (s.size() != 4) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

}  // namespace

void DsdtWriter::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

void DsdtWriter::begin_device(std::string_view name, std::string_view hid, uint64_t uid) {
  if (open_) return fail("device " + std::string(name) + " begins inside device " + open_->name);
  if (!name_seg(name)) return fail("device name '" + std::string(name) + "' is not one 4-character ACPI name");
  open_ = OpenDevice{std::string(name), {aml::name("_HID", aml::string(hid)), aml::name("_UID", aml::integer(uid))}, {}};
}

void DsdtWriter::end_device() {
  if (!open_) return fail("a device ends that never began");
  open_->terms.push_back(aml::name("_CRS", aml::resource_template(open_->crs)));
  devices_.push_back(aml::device(open_->name, open_->terms));
  open_.reset();
}

void DsdtWriter::window(const Placement& where) {
  if (!open_) return fail("a window outside any device");
  if (where.space == Placement::Space::kPortIo) {
    if (where.base + where.size > 0x10000 || where.size > 0xff) {
      return fail(open_->name + ": port window " + hex(where.base) + "+" + hex(where.size) + " does not fit an I/O descriptor");
    }
    open_->crs.push_back(aml::io_port(static_cast<uint16_t>(where.base), static_cast<uint8_t>(where.size)));
  } else {
    if (where.base + where.size > 0x1'0000'0000ull || where.size > 0xffff'ffffull) {
      return fail(open_->name + ": MMIO window " + hex(where.base) + "+" + hex(where.size) + " is not below 4 GiB");
    }
    open_->crs.push_back(aml::memory32_fixed(static_cast<uint32_t>(where.base), static_cast<uint32_t>(where.size), true));
  }
}

void DsdtWriter::interrupt(uint32_t irq, Trigger trigger) {
  if (!open_) return fail("an interrupt outside any device");
  open_->crs.push_back(aml::interrupt(irq, /*edge=*/trigger == Trigger::kEdgeRising, /*active_low=*/false));
}

void DsdtWriter::sleep_state(uint8_t state, uint8_t type) {
  if (state > 5) return fail("sleep state S" + std::to_string(state) + " does not exist (S0-S5)");
  const std::string path = "\\_S" + std::to_string(state) + "_";
  root_.push_back(aml::name(path, aml::package({aml::integer(type), aml::integer(0), aml::integer(0), aml::integer(0)})));
}

void DsdtWriter::power_registers(const PowerRegisters& registers) {
  if (power_) return fail("two devices describe the FADT's power registers");
  power_ = registers;
}

Result<aml::Bytes> DsdtWriter::dsdt_body() const {
  if (!error_.empty()) return Error::internal("describing the devices to ACPI: " + error_);
  if (open_) return Error::internal("describing the devices to ACPI: device " + open_->name + " is not closed");
  aml::Bytes out = aml::scope("\\_SB_", devices_);
  for (const aml::Bytes& t : root_) out.insert(out.end(), t.begin(), t.end());
  return out;
}

}  // namespace edgeward::vmm::acpi
