#include "vmm-lite/arch/arm64/fdt_writer.h"

#include <libfdt.h>

#include <cstdio>

namespace edgeward::vmm::arm64 {

std::string unit_name(std::string_view name, uint64_t unit_address) {
  char b[32];
  std::snprintf(b, sizeof b, "@%llx", static_cast<unsigned long long>(unit_address));
  return std::string(name) + b;
}

FdtWriter::FdtWriter(size_t size) : buf_(size) { err_ = fdt_create(buf_.data(), static_cast<int>(buf_.size())); }

void FdtWriter::check(int rc) {
  if (err_ == 0 && rc < 0) err_ = rc;
}

void FdtWriter::fail(std::string message) {
  if (message_.empty()) message_ = std::move(message);
}

void FdtWriter::finish_reservemap() { check(fdt_finish_reservemap(buf_.data())); }

void FdtWriter::begin(std::string_view name) {
  check(fdt_begin_node(buf_.data(), std::string(name).c_str()));
  ++depth_;
}

void FdtWriter::begin_node(std::string_view name, uint64_t unit_address) { begin(unit_name(name, unit_address)); }

void FdtWriter::end_node() {
  check(fdt_end_node(buf_.data()));
  --depth_;
}

void FdtWriter::string(const char* property, std::string_view value) {
  check(fdt_property_string(buf_.data(), property, std::string(value).c_str()));
}

void FdtWriter::strings(const char* property, std::string_view v) {
  check(fdt_property(buf_.data(), property, v.data(), static_cast<int>(v.size())));
}

void FdtWriter::u32(const char* property, uint32_t value) { check(fdt_property_u32(buf_.data(), property, value)); }

void FdtWriter::u64(const char* property, uint64_t value) { check(fdt_property_u64(buf_.data(), property, value)); }

void FdtWriter::flag(const char* property) { check(fdt_property(buf_.data(), property, nullptr, 0)); }

void FdtWriter::bytes(const char* property, const std::vector<uint8_t>& v) {
  check(fdt_property(buf_.data(), property, v.data(), static_cast<int>(v.size())));
}

void FdtWriter::cells(const char* property, const std::vector<uint32_t>& v) {
  std::vector<fdt32_t> be;
  for (uint32_t c : v) be.push_back(cpu_to_fdt32(c));
  check(fdt_property(buf_.data(), property, be.data(), static_cast<int>(be.size() * sizeof(fdt32_t))));
}

void FdtWriter::reg(const std::vector<std::pair<uint64_t, uint64_t>>& ranges) {
  std::vector<uint32_t> c;
  for (auto [a, s] : ranges) {
    c.insert(c.end(), {static_cast<uint32_t>(a >> 32), static_cast<uint32_t>(a), static_cast<uint32_t>(s >> 32),
                       static_cast<uint32_t>(s)});
  }
  cells("reg", c);
}

void FdtWriter::reg(const Placement& where) {
  if (where.space != Placement::Space::kMmio) {
    char b[80];
    std::snprintf(b, sizeof b, "a port I/O window (0x%llx) has no place in an arm64 device tree",
                  static_cast<unsigned long long>(where.base));
    return fail(b);
  }
  reg({{where.base, where.size}});
}

void FdtWriter::interrupts(uint32_t spi, Trigger trigger) {
  cells("interrupts", {kGicSpi, spi, trigger == Trigger::kEdgeRising ? kIrqEdgeRising : kIrqLevelHigh});
}

bool FdtWriter::out_of_space() const { return message_.empty() && err_ == -FDT_ERR_NOSPACE; }

Result<std::vector<uint8_t>> FdtWriter::finish() {
  check(fdt_finish(buf_.data()));
  if (!message_.empty()) return Error::internal("writing the device tree: " + message_);
  if (err_ == -FDT_ERR_NOSPACE) return Error::invalid("the device tree does not fit in its 2 MiB (command line too long?)");
  if (err_ < 0) return Error::internal(std::string("writing the device tree: ") + fdt_strerror(err_));
  buf_.resize(fdt_totalsize(buf_.data()));
  return std::move(buf_);
}

}  // namespace edgeward::vmm::arm64
