#include "vmm-lite/acpi/aml.h"

namespace edgeward::vmm::aml {
namespace {

constexpr uint8_t kZeroOp = 0x00, kOneOp = 0x01, kBytePrefix = 0x0a, kWordPrefix = 0x0b, kDWordPrefix = 0x0c,
                  kStringPrefix = 0x0d, kQWordPrefix = 0x0e, kNameOp = 0x08, kScopeOp = 0x10, kBufferOp = 0x11,
                  kPackageOp = 0x12, kExtOpPrefix = 0x5b, kDeviceOp = 0x82, kRootChar = '\\';

void append(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }

void append_le(Bytes& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// opcode(s) PkgLength payload
Bytes with_pkg_length(std::initializer_list<uint8_t> opcode, const Bytes& payload) {
  Bytes out(opcode);
  append(out, pkg_length(payload.size()));
  append(out, payload);
  return out;
}

}  // namespace

Bytes pkg_length(size_t len) {
  // One byte holds up to 63 (including itself); otherwise 1 lead byte + 1..3 bytes.
  if (len + 1 < 0x40) return {static_cast<uint8_t>(len + 1)};
  for (size_t extra = 1; extra <= 3; ++extra) {
    const size_t total = len + 1 + extra;
    if (total < (size_t{1} << (4 + 8 * extra))) {
      Bytes out{static_cast<uint8_t>((extra << 6) | (total & 0x0f))};
      for (size_t i = 0; i < extra; ++i) out.push_back(static_cast<uint8_t>(total >> (4 + 8 * i)));
      return out;
    }
  }
  return {};  // > 256 MiB: cannot happen for edgeward's tables
}

Bytes integer(uint64_t v) {
  if (v == 0) return {kZeroOp};
  if (v == 1) return {kOneOp};
  Bytes out;
  if (v <= 0xff) {
    out.push_back(kBytePrefix);
    append_le(out, v, 1);
  } else if (v <= 0xffff) {
    out.push_back(kWordPrefix);
    append_le(out, v, 2);
  } else if (v <= 0xffffffff) {
    out.push_back(kDWordPrefix);
    append_le(out, v, 4);
  } else {
    out.push_back(kQWordPrefix);
    append_le(out, v, 8);
  }
  return out;
}

Bytes string(std::string_view s) {
  Bytes out{kStringPrefix};
  out.insert(out.end(), s.begin(), s.end());
  out.push_back(0);
  return out;
}

Bytes name_string(std::string_view path) {
  Bytes out;
  if (!path.empty() && path.front() == kRootChar) {
    out.push_back(kRootChar);
    path.remove_prefix(1);
  }
  // One NameSeg, padded with '_' to 4 characters (edgeward never needs multi-segment paths).
  for (size_t i = 0; i < 4; ++i) out.push_back(i < path.size() ? static_cast<uint8_t>(path[i]) : '_');
  return out;
}

Bytes name(std::string_view path, const Bytes& value) {
  Bytes out{kNameOp};
  append(out, name_string(path));
  append(out, value);
  return out;
}

Bytes package(const std::vector<Bytes>& elements) {
  Bytes payload{static_cast<uint8_t>(elements.size())};
  for (const auto& e : elements) append(payload, e);
  return with_pkg_length({kPackageOp}, payload);
}

Bytes scope(std::string_view path, const std::vector<Bytes>& terms) {
  Bytes payload = name_string(path);
  for (const auto& t : terms) append(payload, t);
  return with_pkg_length({kScopeOp}, payload);
}

Bytes device(std::string_view dev_name, const std::vector<Bytes>& terms) {
  Bytes payload = name_string(dev_name);
  for (const auto& t : terms) append(payload, t);
  return with_pkg_length({kExtOpPrefix, kDeviceOp}, payload);
}

Bytes resource_template(const std::vector<Bytes>& descriptors) {
  Bytes data;
  for (const auto& d : descriptors) append(data, d);
  data.push_back(0x79);  // End Tag
  data.push_back(0x00);  // checksum 0: "treat as correct"
  Bytes payload = integer(data.size());
  append(payload, data);
  return with_pkg_length({kBufferOp}, payload);
}

Bytes memory32_fixed(uint32_t base, uint32_t length, bool writable) {
  Bytes out{0x86, 0x09, 0x00, static_cast<uint8_t>(writable ? 1 : 0)};
  append_le(out, base, 4);
  append_le(out, length, 4);
  return out;
}

Bytes interrupt(uint32_t gsi, bool edge, bool active_low) {
  // Extended Interrupt Descriptor: consumer, one interrupt.
  const uint8_t flags = 0x01 | (edge ? 0x02 : 0) | (active_low ? 0x04 : 0);
  Bytes out{0x89, 0x06, 0x00, flags, 0x01};
  append_le(out, gsi, 4);
  return out;
}

Bytes io_port(uint16_t base, uint8_t length) {
  // I/O Port Descriptor (small resource 0x47): decodes 16 bits, min = max = base.
  Bytes out{0x47, 0x01};
  append_le(out, base, 2);
  append_le(out, base, 2);
  out.push_back(1);  // alignment
  out.push_back(length);
  return out;
}

}  // namespace edgeward::vmm::aml
