#include "attest/measure/launch.h"

namespace edgeward::attest {
namespace {

std::string clip(std::string s) {
  if (s.size() > kMaxEventData) s.resize(kMaxEventData);
  return s;
}

}  // namespace

std::string LaunchConfig::canonical() const {
  return "backend=" + backend + " memory=" + std::to_string(memory_bytes) + " vcpus=" + std::to_string(vcpus) +
         " cmd=" + command + " extra=" + extra;
}

LaunchConfig launch_config_for(const Manifest& m, const std::string& backend) {
  LaunchConfig c;
  c.backend = backend;
  c.memory_bytes = m.memory_bytes;
  c.vcpus = m.vcpus;
  c.command = backend == "kvm" ? m.kernel_cmdline : m.entry;
  c.extra = "profile=" + m.sandbox_profile + (m.network ? " network" : "");
  return c;
}

Digest ota_slot_digest(std::string_view slot) {
  Sha256 h;
  h.update(std::string_view("edgeward-ota-slot:"));
  h.update(slot);
  return h.finish();
}

Status record_boot(MeasurementStore& store, const std::string& binary_path, const std::string& slot) {
  EW_ASSIGN(Digest self, sha256_file(binary_path));
  EW_TRY(store.begin_boot());
  return store.record_all({
      {kRegRuntime, EventType::kRuntimeBinary, self, clip("edgeward " + binary_path)},
      {kRegOtaSlot, EventType::kOtaSlot, ota_slot_digest(slot), clip("slot " + slot)},
  });
}

Status record_launch(MeasurementStore& store, const Manifest& m, const Digest& manifest_digest,
                     const LaunchConfig& config) {
  std::vector<Event> events;
  events.push_back({kRegManifest, EventType::kImageManifest, manifest_digest, clip(m.name + " " + m.version)});
  for (const Component& c : m.components) {
    events.push_back({kRegComponent, EventType::kImageComponent, c.sha256, clip(m.name + "/" + c.name)});
  }
  const std::string text = config.canonical();
  events.push_back({kRegLaunch, EventType::kLaunchConfig, sha256(text), clip(m.name + ": " + text)});
  return store.record_all(events);
}

}  // namespace edgeward::attest
