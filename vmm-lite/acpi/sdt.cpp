#include "vmm-lite/acpi/sdt.h"

namespace edgeward::vmm::acpi {
namespace {
constexpr std::string_view kOemId = "EDGEWD";        // 6 bytes
constexpr std::string_view kOemTableId = "EDGEWARD";  // 8 bytes
constexpr std::string_view kCreatorId = "EWVM";       // 4 bytes

void append_str(Bytes& b, std::string_view s) { b.insert(b.end(), s.begin(), s.end()); }
}  // namespace

void put_le(Bytes& b, size_t offset, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b[offset + i] = static_cast<uint8_t>(v >> (8 * i));
}

void append_le(Bytes& b, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint8_t checksum(const Bytes& b, size_t begin, size_t end) {
  uint8_t sum = 0;
  for (size_t i = begin; i < end; ++i) sum = static_cast<uint8_t>(sum + b[i]);
  return static_cast<uint8_t>(-sum);
}

Bytes table(std::string_view signature, uint8_t revision, const Bytes& body) {
  Bytes t;
  append_str(t, signature.substr(0, 4));
  append_le(t, kHeaderSize + body.size(), 4);
  t.push_back(revision);
  t.push_back(0);  // checksum, below
  append_str(t, kOemId);
  append_str(t, kOemTableId);
  append_le(t, 1, 4);  // OEM revision
  append_str(t, kCreatorId);
  append_le(t, 1, 4);  // creator revision
  t.insert(t.end(), body.begin(), body.end());
  t[9] = checksum(t, 0, t.size());
  return t;
}

Bytes rsdp(uint64_t xsdt_addr) {
  Bytes r;
  append_str(r, "RSD PTR ");
  r.push_back(0);  // checksum of the first 20 bytes
  append_str(r, kOemId);
  r.push_back(2);  // revision: ACPI 2.0+
  append_le(r, 0, 4);  // RSDT address: none, the XSDT is used
  append_le(r, 36, 4);  // length
  append_le(r, xsdt_addr, 8);
  r.push_back(0);  // extended checksum
  append_le(r, 0, 3);
  r[8] = checksum(r, 0, 20);
  r[32] = checksum(r, 0, 36);
  return r;
}

Bytes xsdt(const std::vector<uint64_t>& table_addrs) {
  Bytes body;
  for (uint64_t a : table_addrs) append_le(body, a, 8);
  return table("XSDT", 1, body);
}

Bytes gas_io_byte(uint16_t port) {
  Bytes g{1 /* system I/O */, 8 /* bit width */, 0 /* bit offset */, 1 /* byte access */};
  append_le(g, port, 8);
  return g;
}

}  // namespace edgeward::vmm::acpi
