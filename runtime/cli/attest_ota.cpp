// --ota-state and the OTA facts of a verdict (attest_ota.h).
#include "runtime/cli/attest_ota.h"

#include "common/board/embedded_boards.h"
#include "common/text/writer.h"

namespace edgeward::cli {
namespace {

using nlohmann::ordered_json;

ordered_json installed_json(const std::string& slot, const attest::OtaInstalledClaim& s) {
  ordered_json j;
  if (!slot.empty()) j["slot"] = slot;
  j["target"] = s.target;
  j["version"] = s.version;
  j["sha256"] = attest::to_hex(s.sha256);
  return j;
}

std::string installed_text(const attest::OtaInstalledClaim& s) {
  return (s.target.empty() ? std::string("factory") : s.target) + " version " + std::to_string(s.version) +
         ", sha256:" + attest::to_hex(s.sha256);
}

}  // namespace

std::string ota_state_dir(const ParsedArgs& p) {
  if (auto s = p.value("ota-state")) return *s;
  auto b = board::resolve_board("");
  return (b ? b->storage.data_path : std::string("/var/lib/edgeward")) + "/ota";
}

ordered_json ota_json(const attest::Claims& c) {
  if (!c.ota) return nullptr;
  const attest::OtaClaims& o = *c.ota;
  ordered_json j, metadata, installs = ordered_json::array();
  metadata["root"] = o.root_version;
  metadata["timestamp"] = o.timestamp_version;
  metadata["snapshot"] = o.snapshot_version;
  metadata["targets"] = o.targets_version;
  j["metadata"] = std::move(metadata);
  j["active"] = installed_json(o.active_slot, o.active);
  j["trial"] = nullptr;
  if (o.trial) {
    j["trial"] = installed_json(o.trial_slot, *o.trial);
    j["trial"]["tries_left"] = o.tries_left;
  }
  j["release"] = o.release ? installed_json("", *o.release) : ordered_json(nullptr);
  j["trial_release"] = o.trial_release ? installed_json("", *o.trial_release) : ordered_json(nullptr);
  for (const auto& e : c.events) {
    if (e.type != attest::EventType::kOtaInstall) continue;
    ordered_json install;
    install["data"] = e.data;
    install["sha256"] = attest::to_hex(e.digest);
    installs.push_back(std::move(install));
  }
  j["installs"] = std::move(installs);
  return j;
}

void print_ota(text::Writer& out, const attest::Claims& c) {
  if (!c.ota) {
    out << "ota:     no OTA state\n";
    return;
  }
  const attest::OtaClaims& o = *c.ota;
  out << "ota:     active " << o.active_slot << " (" << installed_text(o.active) << ")";
  if (o.trial) out << ", trial " << o.trial_slot << " (" << installed_text(*o.trial) << ", " << o.tries_left << " tries left)";
  if (o.root_version == 0) {
    out << "\n         metadata: no trusted root";
  } else {
    out << "\n         metadata root " << o.root_version << ", timestamp " << o.timestamp_version << ", snapshot "
        << o.snapshot_version << ", targets " << o.targets_version;
  }
  if (o.release) out << "; release " << installed_text(*o.release);
  if (o.trial_release) out << "; on trial: release " << installed_text(*o.trial_release);
  out << "\n";
  for (const auto& e : c.events) {
    if (e.type == attest::EventType::kOtaInstall) out << "         installed this boot: " << e.data << "\n";
  }
}

}  // namespace edgeward::cli
