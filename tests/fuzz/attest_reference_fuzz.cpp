// Fuzzes the verifier's reference-values XML parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "attest/verifier/reference.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = edgeward::attest::parse_reference_xml(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml");
  if (r.ok() && r->runtime_versions.empty()) __builtin_trap();
  return 0;
}
