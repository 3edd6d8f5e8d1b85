// Fuzzes the sandbox policy XML parser (policies will ship inside workload images): any input
// must give a Policy or an Error, never a crash, a hang, or a sanitizer report; a parsed policy
// must hold the invariants the filter builder and the supervisor rely on.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/sandbox/policy_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = edgeward::sandbox::parse_policy_xml(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml");
  if (!r.ok()) return 0;
  for (const auto& p : r->policy.paths) {
    if (p.pattern.empty() || p.pattern[0] != '/' || p.reason.empty()) __builtin_trap();
    r->policy.access(p.pattern);  // matching must cope with whatever patterns were accepted
  }
  for (const auto& s : r->policy.syscalls) {
    if (s.name.empty() || s.reason.empty()) __builtin_trap();
    if (s.action == edgeward::sandbox::Action::kDeny && (s.errno_value < 1 || s.errno_value > 4095)) __builtin_trap();
  }
  return 0;
}
