// A tiny AML (ACPI Machine Language, ACPI 6.4 §20) encoder: just the terms edgeward's DSDT
// needs — scopes, devices, names, integers, strings, packages and resource-template buffers.
// Each function returns the encoded bytes of one term.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace edgeward::vmm::aml {

using Bytes = std::vector<uint8_t>;

Bytes integer(uint64_t v);
Bytes string(std::string_view s);
// NameString: "\\_SB_" (root-relative) or a 4-character segment like "_HID".
Bytes name_string(std::string_view path);
Bytes name(std::string_view path, const Bytes& value);          // Name(path, value)
Bytes package(const std::vector<Bytes>& elements);              // Package(){...}
Bytes scope(std::string_view path, const std::vector<Bytes>& terms);
Bytes device(std::string_view name, const std::vector<Bytes>& terms);

// Resource template (a Buffer ending with an End Tag) holding the given descriptors.
Bytes resource_template(const std::vector<Bytes>& descriptors);
Bytes memory32_fixed(uint32_t base, uint32_t length, bool writable);
Bytes interrupt(uint32_t gsi, bool edge, bool active_low);
Bytes io_port(uint16_t base, uint8_t length);  // 16-bit decode, fixed base

// PkgLength encoding of a payload of `len` bytes (the encoding counts itself).
Bytes pkg_length(size_t len);

}  // namespace edgeward::vmm::aml
