// Fuzzes the OCI config.json parser: any input gives an OciConfig or an Error naming where it
// was wrong, never a crash, a hang or a sanitizer report; what parses keeps its invariants.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/oci/config_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeward::oci;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto c = parse_oci_config(in, "config.json");
  if (c.ok()) {
    if (c->args.empty() || c->args[0].empty() || c->cwd.empty() || c->cwd[0] != '/' || c->root_path.empty()) {
      __builtin_trap();
    }
    for (const auto& kv : c->env) {
      if (kv.find('=') == std::string::npos) __builtin_trap();
    }
    const ProcessFields& p = c->process_fields;  // process_fields.h's checks hold
    for (const auto& r : p.rlimits) {
      if (r.soft > r.hard) __builtin_trap();
    }
    if ((p.umask && *p.umask > 0777) || (p.oom_score_adj && (*p.oom_score_adj < -1000 || *p.oom_score_adj > 1000))) {
      __builtin_trap();
    }
    for (const auto& d : c->devices) {  // linux.devices: a known type, numbers in range
      if (d.path.empty() || d.type.size() != 1 || std::string_view("cubp").find(d.type[0]) == std::string_view::npos ||
          d.major < 0 || d.major > 0xfff || d.minor < 0 || d.minor > 0xfffff || (d.file_mode && *d.file_mode > 07777)) {
        __builtin_trap();
      }
    }
    for (const auto& r : c->device_rules) {  // linux.resources.devices
      if ((r.type != "a" && r.type != "c" && r.type != "b") || r.access.empty() ||
          r.access.find_first_not_of("rwm") != std::string::npos || (r.major && *r.major < 0)) {
        __builtin_trap();
      }
    }
  } else if (c.error().message.rfind("config.json: ", 0) != 0) {
    __builtin_trap();  // every error names its source
  }
  return 0;
}
