// ACPI table framing (ACPI 6.4 §5.2): the RSDP, the common system description table header
// with its checksum, the XSDT and the Generic Address Structure.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace edgeward::vmm::acpi {

using Bytes = std::vector<uint8_t>;

constexpr size_t kHeaderSize = 36;

// A complete table: header (signature, length, revision, checksum, OEM ids) + body.
Bytes table(std::string_view signature, uint8_t revision, const Bytes& body);
// RSDP revision 2 pointing at the XSDT.
Bytes rsdp(uint64_t xsdt_addr);
Bytes xsdt(const std::vector<uint64_t>& table_addrs);
// Generic Address Structure for a byte-wide system-I/O register.
Bytes gas_io_byte(uint16_t port);

void put_le(Bytes& b, size_t offset, uint64_t v, int bytes);
void append_le(Bytes& b, uint64_t v, int bytes);
// The byte that makes the sum of `b` zero.
uint8_t checksum(const Bytes& b, size_t begin, size_t end);

}  // namespace edgeward::vmm::acpi
