// Fuzzes the TUF metadata parsers (ota/tuf): the first byte picks the role (root, targets,
// snapshot, timestamp), the rest is the file. Any input gives parsed metadata or an Error naming
// the file, never a crash, a hang or a sanitizer report. What parses keeps its invariants and
// survives a serialize/parse round trip; signatures are then checked against the input's own
// root (key parsing, hex and DER decoding of hostile signatures). A release target's member list
// is planned against the same targets (ota/client/release.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ota/client/release.h"
#include "ota/tuf/metadata.h"
#include "ota/tuf/verify.h"

namespace {

using namespace edgeward::ota::tuf;
using edgeward::ota::client::describe_target;
using edgeward::ota::client::plan_release;
using edgeward::ota::client::TargetInfo;

void check_error(const edgeward::Error& e) {
  if (e.message.rfind("m.json", 0) != 0) __builtin_trap();  // every error names its source
}

template <typename T>
void round_trip(const T& parsed, Role role, T (*again)(const Envelope&)) {
  const std::string text = envelope_text(to_json(parsed), {});
  auto e = parse_envelope(text, role, "m.json");
  if (!e.ok()) __builtin_trap();
  if (to_json(again(*e)) != to_json(parsed)) __builtin_trap();
}

template <typename T, edgeward::Result<T> (*Parse)(const Envelope&)>
T must(const Envelope& e) {
  auto r = Parse(e);
  if (!r.ok()) __builtin_trap();
  return std::move(r).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const Role role = kAllRoles[data[0] % 4];
  const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  auto e = parse_envelope(in, role, "m.json");
  if (!e.ok()) {
    check_error(e.error());
    return 0;
  }
  switch (role) {
    case Role::kRoot: {
      auto r = parse_root(*e);
      if (!r.ok()) return check_error(r.error()), 0;
      if (r->common.version < 1 || r->roles.size() != 4) __builtin_trap();
      for (const auto& [role_id, rk] : r->roles) {
        if (rk.threshold < 1) __builtin_trap();
      }
      round_trip<Root>(*r, Role::kRoot, must<Root, parse_root>);
      (void)verify_role(*e, *r, Role::kRoot);
      (void)verify_root_update(*r, in, "m.json");
      break;
    }
    case Role::kTargets: {
      auto t = parse_targets(*e);
      if (!t.ok()) return check_error(t.error()), 0;
      for (const auto& [name, f] : t->targets) {
        if (!check_target_name(name).ok() || f.hashes.at("sha256").size() != 64) __builtin_trap();
      }
      round_trip<Targets>(*t, Role::kTargets, must<Targets, parse_targets>);
      // A release's members come from its custom field: checked against the same targets.
      for (const auto& [name, f] : t->targets) {
        const TargetInfo info = describe_target(name, f);
        if (info.kind != "release") continue;
        auto plan = plan_release(info, f, t->targets, {"generic-x86_64", "x86_64"});
        if (!plan.ok()) {
          if (plan.error().message.rfind("refused: release " + name + ": ", 0) != 0) __builtin_trap();
          continue;
        }
        if (plan->runtime.kind != "runtime" || !t->targets.count(plan->runtime.name)) __builtin_trap();
        for (const auto& [workload, member] : plan->workloads) {
          if (member.kind != "workload" || t->targets.at(member.name).hashes.at("sha256") != member.sha256) __builtin_trap();
        }
      }
      break;
    }
    case Role::kSnapshot: {
      auto s = parse_snapshot(*e);
      if (!s.ok()) return check_error(s.error()), 0;
      if (!s->meta.count("targets.json")) __builtin_trap();
      round_trip<Snapshot>(*s, Role::kSnapshot, must<Snapshot, parse_snapshot>);
      break;
    }
    case Role::kTimestamp: {
      auto t = parse_timestamp(*e);
      if (!t.ok()) return check_error(t.error()), 0;
      round_trip<Timestamp>(*t, Role::kTimestamp, must<Timestamp, parse_timestamp>);
      break;
    }
  }
  return 0;
}
