// Fuzzes the readers of a container entry's files (spec.json, state.json, exit.json): they are
// written by edgeward, but a damaged file must give an Error, never a crash. What parses must
// survive a write/read round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/container/spec_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::runtime;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto s = spec_from_json(in, "spec.json"); s.ok()) {
    auto again = spec_from_json(spec_to_json(*s), "spec.json");
    if (!again.ok() || again->workload.argv != s->workload.argv || again->annotations != s->annotations) __builtin_trap();
  }
  if (auto st = state_from_json(in, "state.json"); st.ok()) {
    auto again = state_from_json(state_to_json(*st), "state.json");
    if (!again.ok() || again->id != st->id || again->status != st->status || again->exit_status != st->exit_status) {
      __builtin_trap();
    }
  }
  if (auto e = exit_from_json(in, "exit.json"); e.ok()) {
    auto again = exit_from_json(exit_to_json(*e), "exit.json");
    if (!again.ok() || again->status != e->status || again->error != e->error) __builtin_trap();
  }
  return 0;
}
