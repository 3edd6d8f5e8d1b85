// Installed updates as measured-launch events (see measure_install.h).
#include "ota/client/measure_install.h"


namespace edgeward::ota::client {

attest::OtaInstallEvent install_event(const TargetInfo& t, const std::string& where) {
  const auto kind = t.kind == "runtime" ? attest::OtaInstallKind::kRuntime
                    : t.kind == "release" ? attest::OtaInstallKind::kRelease
                                          : attest::OtaInstallKind::kWorkload;
  return {kind, t.name, t.version.value_or(0), t.sha256, where};
}

std::vector<attest::OtaInstallEvent> install_events(const ReleasePlan& plan, const std::string& slot) {
  std::vector<attest::OtaInstallEvent> events{install_event(plan.release, ""), install_event(plan.runtime, slot)};
  for (const auto& [workload, target] : plan.workloads) events.push_back(install_event(target, workload));
  return events;
}

Status measure_install(const std::string& attest_dir, const std::vector<attest::OtaInstallEvent>& events) {
  std::vector<attest::Event> records;
  for (const auto& e : events) {
    EW_ASSIGN(attest::Event r, attest::ota_install_event(e));
    records.push_back(std::move(r));
  }
  EW_ASSIGN(attest::MeasurementStore store, attest::MeasurementStore::open(attest_dir));
  return store.record_all(records);  // a release is measured whole or not at all
}

}  // namespace edgeward::ota::client
