// Fuzzes the OTA state file parser (read at every start and after every power cut): any input
// gives a state or an Error, never a crash; a parsed state keeps its invariants and survives a
// round trip through its own serialization unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ota/slots/ota_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using edgeward::ota::parse_state;
  auto r = parse_state(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (!r.ok()) return 0;
  if (r->active != "A" && r->active != "B") __builtin_trap();
  if (!r->trial.empty() && (r->trial == r->active || !r->slots.at(r->trial))) __builtin_trap();
  if (!r->slots.at(r->active)) __builtin_trap();
  for (const auto& [name, w] : r->workloads) {
    if (!edgeward::ota::valid_name(name)) __builtin_trap();
  }
  auto again = parse_state(edgeward::ota::state_json(*r), "fuzz.json");
  if (!again.ok() || !(*again == *r)) __builtin_trap();
  return 0;
}
