// Fuzzes `update -r`'s linux.resources parser: any input gives a ResourceUpdate or an Error naming
// its source, never a crash, a hang or a sanitizer report; what parses keeps runc's bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/oci/update_resources_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::oci;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto u = parse_resources(in, "resources.json");
  if (u.ok()) {
    if ((u->memory_limit && *u->memory_limit < -1) || (u->cpu_shares && *u->cpu_shares < 2) ||
        (u->cpu_period && *u->cpu_period < 1000) || (u->pids_limit && *u->pids_limit < -1)) {
      __builtin_trap();
    }
  } else if (u.error().message.rfind("resources.json: ", 0) != 0) {
    __builtin_trap();  // every error names its source
  }
  return 0;
}
