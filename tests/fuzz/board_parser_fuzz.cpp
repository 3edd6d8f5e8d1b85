// Fuzzes the board XML parser: any input must give a Board or an Error, never a crash,
// a hang, or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/board/board_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = edgeward::board::parse_board_xml(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml");
  if (r.ok()) {
    // A parsed board must satisfy the invariants the rest of edgeward relies on.
    if (r->storage.slots.size() != 2 || r->cpus == 0 || r->name.empty()) __builtin_trap();
  }
  return 0;
}
