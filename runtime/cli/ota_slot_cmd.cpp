// `edgeward ota provision|status|boot|mark-good|rollback`: the device's A/B runtime slots and
// workload images (ota/slots/). The slot directories and the state directory come from the board
// (storage data and slots), each overridable for a test or an unusual layout.
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/text/writer.h"
#include "common/units.h"
#include "ota/slots/ota_store.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/ota_layout.h"
#include "runtime/cli/parse.h"
#include "runtime/cli/workload_show.h"
#include "runtime/daemon/health_check.h"
#include "runtime/daemon/ota_updater.h"

namespace edgeward::cli {
namespace {

const Option& kStateDir = kOtaStateDir;
const Option& kSlotA = kOtaSlotA;
const Option& kSlotB = kOtaSlotB;
const Option kJson{"json", "", "print JSON"};

Result<ota::OtaStore> open_store(const ParsedArgs& p) {
  EW_ASSIGN(ota::OtaLayout l, ota_layout_of(p));
  return ota::OtaStore::open(std::move(l));
}

nlohmann::ordered_json installed_json(const std::optional<ota::Installed>& in) {
  if (!in) return nullptr;
  return {{"target", in->target}, {"version", in->version}, {"sha256", in->sha256}, {"installed", in->installed}};
}

// A JSON record kept beside the state, null when it was never written.
nlohmann::ordered_json record_json(const ota::OtaLayout& l, const std::string& file) {
  auto text = attest::read_text_file(l.state_dir + "/" + file, 256 * 1024);
  if (!text) return nullptr;
  auto j = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (!j.is_object()) return {{"error", l.state_dir + "/" + file + " is not a JSON object"}};
  return j;
}

// What the daemon's updater recorded (runtime/daemon/ota_updater.h), null when it never checked.
nlohmann::ordered_json updater_json(const ota::OtaLayout& l) { return record_json(l, daemon::kUpdaterFile); }

nlohmann::ordered_json status_json(const ota::OtaStore& s) {
  const ota::OtaState& st = s.state();
  nlohmann::ordered_json j;
  j["state"] = s.layout().state_dir + "/" + ota::kStateFile;
  j["active"] = st.active;
  j["trial"] = st.trial.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(st.trial);
  j["tries_left"] = st.tries_left;
  j["next_start"] = s.next_start();
  nlohmann::ordered_json slots = nlohmann::ordered_json::object();
  for (const char* name : ota::kSlotNames) {
    slots[name] = {{"path", s.binary_path(name)}, {"holds", installed_json(st.slots.at(name))}};
  }
  j["slots"] = slots;
  nlohmann::ordered_json workloads = nlohmann::ordered_json::object();
  for (const auto& [name, w] : st.workloads) {
    workloads[name] = {{"current", installed_json(w.current)}, {"pending", installed_json(w.pending)}};
  }
  j["workloads"] = workloads;
  j["release"] = installed_json(st.release);
  j["trial_release"] = nullptr;
  if (st.trial_release) {
    j["trial_release"] = {{"release", installed_json(st.trial_release->what)}, {"workloads", st.trial_release->workloads}};
  }
  j["floors"] = st.floors;
  j["last_event"] = st.last_event;
  j["updater"] = updater_json(s.layout());
  // The last download's delta share (ota/client/delta_download.h), null before the first one.
  j["last_download"] = record_json(s.layout(), "last-delta.json");
  return j;
}

void print_status(const ota::OtaStore& s) {
  const ota::OtaState& st = s.state();
  auto describe = [](const std::optional<ota::Installed>& in) {
    if (!in) return std::string("(empty)");
    return (in->target.empty() ? std::string("factory image") : in->target) + " version " +
           std::to_string(in->version) + ", sha256 " + in->sha256.substr(0, 16) + "…";
  };
  for (const char* name : ota::kSlotNames) {
    std::string role = st.active == name ? "active" : st.trial == name ? "trial" : "inactive";
    if (st.trial == name) role += ", " + std::to_string(st.tries_left) + " starts left";
    text::out() << "slot " << name << " (" << role << "): " << describe(st.slots.at(name)) << "\n";
  }
  text::out() << "next start runs slot " << s.next_start() << "\n";
  if (st.release) text::out() << "release: " << describe(st.release) << "\n";
  if (st.trial_release) {
    text::out() << "release on trial with slot " << st.trial << ": " << describe(st.trial_release->what) << " (workloads";
    for (const auto& w : st.trial_release->workloads) text::out() << " " << w;
    text::out() << ")\n";
  }
  for (const auto& [name, w] : st.workloads) {
    text::out() << "workload " << name << ": " << describe(w.current);
    if (w.pending) text::out() << "; pending until healthy: " << describe(w.pending);
    text::out() << "\n";
  }
  for (const auto& [target, floor] : st.floors) text::out() << "floor " << target << ": version " << floor << "\n";
  if (!st.last_event.empty()) text::out() << "last: " << st.last_event << "\n";
  const auto u = updater_json(s.layout());
  auto text = [&](const char* key) {
    const auto it = u.is_object() ? u.find(key) : u.end();
    return it != u.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (!text("last_check").empty()) {
    text::out() << "updater: checked " << text("last_check") << ": " << text("result") << "; next check "
              << text("next_check") << "\n";
  }
}

}  // namespace

int ota_provision(Args args) {
  const ArgParser parser("edgeward ota provision [--state DIR] [--slot-a DIR] [--slot-b DIR] [--version N] [--binary FILE]",
                         "Give this device its first OTA state: copy this edgeward binary (or FILE) into slot A,\n"
                         "which becomes the active slot. Refused when the device is already provisioned.",
                         {kStateDir, kSlotA, kSlotB, {"version", "N", "version of the provisioned runtime (default 0)"},
                          {"binary", "FILE", "runtime binary to provision (default this one)"}, kJson});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  auto version = parse_uint(parsed->value_or("version", "0"), 0, ~0ull, "--version");
  if (!version) return report(version.error());
  auto layout = ota_layout_of(*parsed);
  if (!layout) return report(layout.error());
  auto store = ota::OtaStore::provision(*layout, parsed->value_or("binary", "/proc/self/exe"), *version);
  if (!store) return report(store.error());
  if (parsed->flag("json")) {
    text::out() << status_json(*store).dump(2) << "\n";
  } else {
    text::out() << "provisioned: slot A holds " << store->binary_path("A") << "\n";
  }
  return kExitOk;
}

int ota_status(Args args) {
  const ArgParser parser("edgeward ota status [--state DIR] [--json]",
                         "Show the OTA state: what each runtime slot holds, which one is active or on trial and\n"
                         "the starts it has left, the workload images in use and pending, the anti-rollback floors\n"
                         "and the last thing that happened (an install, a rollback and why).",
                         {kStateDir, kSlotA, kSlotB, kJson});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  auto store = open_store(*parsed);
  if (!store) return report(store.error());
  if (parsed->flag("json")) {
    text::out() << status_json(*store).dump(2) << "\n";
  } else {
    print_status(*store);
  }
  return kExitOk;
}

int ota_boot(Args args) {
  const ArgParser parser("edgeward ota boot [--state DIR] [--slot-a DIR] [--slot-b DIR] -- ARGS...",
                         "Start the runtime from its slot (what the service manager runs): count a start of the\n"
                         "slot on trial, roll it back when its starts are spent without mark-good or its binary\n"
                         "does not verify, then execute the chosen slot's edgeward with ARGS (e.g. `daemon`) and\n"
                         "EDGEWARD_OTA_SLOT set to the slot's name.",
                         {kStateDir, kSlotA, kSlotB});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  auto store = open_store(*parsed);
  if (!store) return report(store.error());
  auto slot = store->boot();
  if (!slot) return report(slot.error());
  const std::string binary = store->binary_path(*slot);
  std::vector<char*> argv{const_cast<char*>(binary.c_str())};
  for (const auto& a : parsed->positional()) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  setenv("EDGEWARD_OTA_SLOT", slot->c_str(), 1);
  text::err() << "edgeward ota boot: slot " << *slot << " (" << binary << ")\n";
  execv(binary.c_str(), argv.data());
  return report(Error::io("cannot execute " + binary + ": " + std::strerror(errno)));
}

int ota_mark_good(Args args) {
  const ArgParser parser(
      "edgeward ota mark-good [--state DIR] [--canary IMAGE] [--socket PATH] [--skip-health-check] [--any-binary] [--json]",
      "Declare the runtime on trial good: it becomes the active slot and its version (with a release's\n"
      "workload images) the anti-rollback floor. First the health check: the daemon (started from the\n"
      "trial slot) must answer on its socket and run the canary image to exit 0; otherwise nothing is\n"
      "marked and the exit status is 1. Only the started update may do it: this binary must be the\n"
      "trial slot's. --skip-health-check and --any-binary are for recovery by hand.",
      {kStateDir, kSlotA, kSlotB, kSocketOption,
       {"canary", "IMAGE", "signed canary image (default <state>/canary.ewi)"},
       {"canary-timeout", "SECONDS", "time the canary gets to exit (default 120)"},
       {"skip-health-check", "", "mark good without the health check"},
       {"any-binary", "", "do not require this binary to be the trial's"}, kJson});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  auto store = open_store(*parsed);
  if (!store) return report(store.error());
  if (store->state().trial.empty()) return report(store->mark_good("").error());  // says why: nothing on trial
  std::string self;
  if (!parsed->flag("any-binary")) {
    auto digest = attest::sha256_file("/proc/self/exe");
    if (!digest) return report(digest.error());
    self = attest::to_hex(*digest);
  }
  nlohmann::ordered_json out;
  if (!parsed->flag("skip-health-check")) {
    auto timeout = parse_uint(parsed->value_or("canary-timeout", "120"), 1, 3600, "--canary-timeout");
    if (!timeout) return report(timeout.error());
    std::string canary = parsed->value_or("canary", store->layout().state_dir + "/canary.ewi");
    struct stat sb {};
    if (!parsed->value("canary") && ::stat(canary.c_str(), &sb) != 0) canary.clear();
    const daemon::ApiCall call = [&](const daemon::Request& r) { return call_daemon(*parsed, r); };
    const daemon::HealthReport health =
        daemon::check_health(call, {.canary_image = canary, .timeout_s = static_cast<uint32_t>(*timeout)});
    out["health_check"] = {{"healthy", health.healthy}, {"passed", health.passed}, {"failure", health.failure}};
    if (!parsed->flag("json")) {
      for (const auto& p : health.passed) text::out() << "ok    " << p << "\n";
    }
    if (!health.healthy) {
      if (parsed->flag("json")) text::out() << out.dump(2) << "\n";
      text::err() << "edgeward: error: not marked good: the health check failed: " << health.failure
                << " (slot " << store->state().trial << " stays on trial; `edgeward ota rollback` abandons it)\n";
      return kExitFailed;
    }
  }
  if (auto s = store->mark_good(self); !s) return report(s.error());
  if (parsed->flag("json")) {
    out["event"] = store->state().last_event;
    text::out() << out.dump(2) << "\n";
  } else {
    text::out() << store->state().last_event << "\n";
  }
  return kExitOk;
}

int ota_rollback(Args args) {
  const ArgParser parser("edgeward ota rollback [--state DIR] [--reason TEXT]",
                         "Abandon the runtime on trial: the next start runs the active slot again. The reason is\n"
                         "kept for `ota status`.",
                         {kStateDir, kSlotA, kSlotB, {"reason", "TEXT", "why (default \"rolled back by hand\")"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  auto store = open_store(*parsed);
  if (!store) return report(store.error());
  if (auto s = store->rollback(parsed->value_or("reason", "rolled back by hand")); !s) return report(s.error());
  text::out() << store->state().last_event << "\n";
  return kExitOk;
}

}  // namespace edgeward::cli
