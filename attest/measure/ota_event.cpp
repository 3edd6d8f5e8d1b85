#include "attest/measure/ota_event.h"

#include <string_view>

#include "attest/error.h"

namespace edgeward::attest {
namespace {

std::string_view kind_name(OtaInstallKind k) {
  switch (k) {
    case OtaInstallKind::kRuntime: return "runtime";
    case OtaInstallKind::kWorkload: return "workload";
    case OtaInstallKind::kRelease: return "release";
  }
  return "?";
}

// A word of the canonical line: not empty, no spaces or control characters.
bool is_word(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c <= ' ' || c == 0x7f) return false;
  }
  return true;
}

Error bad(const OtaInstallEvent& e, const std::string& what) {
  return make_error(Errc::kMalformed, "measuring the OTA install of '" + e.target + "': " + what);
}

}  // namespace

std::string OtaInstallEvent::canonical() const {
  std::string line = std::string(kind_name(kind)) + " " + target + " version " + std::to_string(version);
  if (kind == OtaInstallKind::kRuntime) line += " -> slot " + where;
  if (kind == OtaInstallKind::kWorkload) line += " -> workload " + where;
  return line;
}

Result<Event> ota_install_event(const OtaInstallEvent& event) {
  const auto digest = digest_from_hex(event.sha256);
  if (!digest) return bad(event, "sha256 \"" + event.sha256.substr(0, 80) + "\" is not 64 hex digits");
  if (!is_word(event.target)) return bad(event, "the target name is empty or has spaces or control characters");
  if (event.kind == OtaInstallKind::kRuntime && event.where != "A" && event.where != "B") {
    return bad(event, "a runtime goes to slot \"A\" or \"B\", not \"" + event.where.substr(0, 80) + "\"");
  }
  if (event.kind == OtaInstallKind::kWorkload && !is_word(event.where)) {
    return bad(event, "a workload install needs the workload name (no spaces or control characters)");
  }
  std::string data = event.canonical();
  if (data.size() > kMaxEventData) data.resize(kMaxEventData);
  return Event{kRegOtaInstall, EventType::kOtaInstall, *digest, std::move(data)};
}

Status record_ota_install(MeasurementStore& store, const OtaInstallEvent& event) {
  EW_ASSIGN(Event e, ota_install_event(event));
  return store.record(e);
}

}  // namespace edgeward::attest
