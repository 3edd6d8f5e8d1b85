// Fuzzes the Kubernetes Pod manifest parser (libyaml and nlohmann-json front ends, then the typed
// decoder): any input must give a Pod or an Error, never a crash, a hang, or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "runtime/k8s/pod_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::k8s;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Both front ends see every input (JSON text is also YAML).
  for (ManifestFormat f : {ManifestFormat::kAuto, ManifestFormat::kYaml}) {
    auto r = parse_pod(text, "fuzz.yaml", f);
    if (!r.ok()) continue;
    // A parsed pod must satisfy the invariants admission relies on.
    if (r->name.empty() || r->containers.empty() || r->containers.size() > kMaxContainers) __builtin_trap();
    std::set<std::string> names;
    for (const Container& c : r->containers) {
      if (c.image.empty() || !names.insert(c.name).second) __builtin_trap();
      for (const Quantity& q : c.requests) {
        if (q.milli < 0) __builtin_trap();
      }
    }
  }
  return 0;
}
