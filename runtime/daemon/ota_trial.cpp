// Settling a runtime update on trial from inside the daemon (see ota_trial.h).
#include "runtime/daemon/ota_trial.h"

#include <sys/stat.h>

#include "attest/crypto/sha256.h"
#include "runtime/daemon/client.h"
#include "runtime/daemon/health_check.h"

namespace edgeward::daemon {

Result<TrialResult> settle_trial(const OtaTrialConfig& c) {
  if (c.layout.state_dir.empty()) return TrialResult{};
  auto opened = ota::OtaStore::open(c.layout);
  if (!opened && opened.error().code == ErrorCode::kNotFound) return TrialResult{};
  if (!opened) return std::move(opened).error();
  ota::OtaStore& store = *opened;
  const ota::OtaState& st = store.state();
  if (st.trial.empty() || st.trial != c.slot) return TrialResult{};
  EW_ASSIGN(const attest::Digest self, attest::sha256_file("/proc/self/exe"));
  if (attest::to_hex(self) != st.slots.at(st.trial)->sha256) {
    return TrialResult{TrialOutcome::kNone, "OTA: slot " + st.trial + " is on trial but this binary is not its runtime"};
  }
  std::string canary = c.canary_image;
  struct stat sb {};
  if (canary.empty() && ::stat((c.layout.state_dir + "/canary.ewi").c_str(), &sb) == 0) {
    canary = c.layout.state_dir + "/canary.ewi";
  }
  if (canary.empty()) {
    return TrialResult{TrialOutcome::kWaiting, "OTA: slot " + st.trial + " on trial (" + std::to_string(st.tries_left) +
                                                   " starts left); no canary image (--canary or " + c.layout.state_dir +
                                                   "/canary.ewi): waiting for `edgeward ota mark-good`"};
  }
  const ApiCall call = [&](const Request& r) -> Result<Response> {
    if (c.stopping && c.stopping->load()) return Error::io("the daemon is stopping");
    EW_ASSIGN(Client client, Client::connect(c.socket_path));
    return client.call(r);
  };
  const HealthReport health = check_health(call, {.canary_image = canary, .timeout_s = c.timeout_s});
  if (health.healthy) {
    EW_TRY(store.mark_good(attest::to_hex(self)));
    return TrialResult{TrialOutcome::kMarkedGood, "OTA: health check passed (" + health.passed.back() + "): " +
                                                      store.state().last_event};
  }
  if (c.stopping && c.stopping->load()) {
    return TrialResult{TrialOutcome::kWaiting, "OTA: the health check was cut short by the daemon's stop (" +
                                                   health.failure + "); slot " + st.trial + " stays on trial"};
  }
  EW_TRY(store.rollback("health check failed: " + health.failure));
  return TrialResult{TrialOutcome::kRolledBack, "OTA: " + store.state().last_event};
}

}  // namespace edgeward::daemon
