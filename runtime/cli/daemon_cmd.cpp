// `edgeward daemon` (the device daemon) and `edgeward metrics` (its Prometheus text).
#include <grp.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include <iostream>

#include "common/board/embedded_boards.h"
#include "common/units.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/ota_layout.h"
#include "runtime/cli/parse.h"
#include "runtime/cli/workload_show.h"
#include "runtime/daemon/daemon.h"

namespace edgeward::cli {
namespace {

// A group name from /etc/group (fgetgrent: no NSS, which a static binary cannot load), or a gid.
Result<gid_t> group_id(const std::string& g) {
  if (FILE* f = std::fopen("/etc/group", "re")) {
    std::optional<gid_t> found;
    while (const group* gr = ::fgetgrent(f)) {
      if (g == gr->gr_name) found = gr->gr_gid;
    }
    std::fclose(f);
    if (found) return *found;
  }
  auto gid = parse_uint(g, 1, 0x7fffffff, "--group");
  if (!gid) return Error::invalid("--group " + g + ": no such group in /etc/group and not a number");
  return static_cast<gid_t>(*gid);
}

Result<daemon::DaemonConfig> daemon_config(const ParsedArgs& p) {
  daemon::DaemonConfig c;
  c.state_dir = p.value_or("state-dir", c.state_dir);
  c.socket_path = p.value_or("socket", c.socket_path);
  c.containers_dir = p.value_or("containers", "");
  c.ca_path = p.value_or("ca", "");
  // `ota boot` names the slot it started (ota/slots/): that is the one measured.
  const char* started = std::getenv("EDGEWARD_OTA_SLOT");
  c.slot = p.value_or("slot", started && *started ? started : "A");
  if (auto g = p.value("group")) {
    EW_ASSIGN(c.group, group_id(*g));
  }
  EW_ASSIGN(c.logs.max_bytes, parse_size(p.value_or("log-max-size", "1MiB")));
  EW_ASSIGN(uint64_t keep, parse_uint(p.value_or("log-keep", "3"), 0, 100, "--log-keep"));
  c.logs.keep = static_cast<unsigned>(keep);
  EW_ASSIGN(auto board, board::resolve_board(p.value_or("board", "")));
  c.node_labels = board.labels;
  return c;
}

// The OTA state a daemon started from the slot on trial settles (runtime/daemon/ota_trial.h).
Result<daemon::OtaTrialConfig> ota_trial_config(const ParsedArgs& p, const std::string& slot) {
  daemon::OtaTrialConfig c;
  EW_ASSIGN(c.layout, ota_layout_of(p, "ota-state"));
  c.slot = slot;
  c.canary_image = p.value_or("canary", "");
  EW_ASSIGN(uint64_t timeout, parse_uint(p.value_or("canary-timeout", "120"), 1, 3600, "--canary-timeout"));
  c.timeout_s = static_cast<uint32_t>(timeout);
  return c;
}

}  // namespace

int daemon_main(Args args) {
  const ArgParser parser(
      "edgeward daemon [--state-dir DIR] [--socket PATH] [--group G] [options]",
      "The device daemon: measures itself and the active slot, re-adopts the workloads a previous\n"
      "daemon left running, and serves the local API (run, ps, stop, logs, inspect, rm, metrics) on\n"
      "a unix socket (mode 0660) to root and members of --group. Workloads keep running when the\n"
      "daemon stops; restart policies apply while it runs. Started from the OTA slot on trial (by\n"
      "`edgeward ota boot`), it runs the canary and marks the slot good, or rolls it back and stops.\n"
      "See docs/daemon.md and docs/ota.md.",
      {{"state-dir", "DIR", "state directory (default /var/lib/edgeward)"},
       {"socket", "PATH", "API socket (default /run/edgeward/edgeward.sock)"},
       {"containers", "DIR", "container root (default: 'containers' beside the socket)"},
       {"ca", "FILE", "fleet root CA (default <state-dir>/attest/fleet-ca.crt)"},
       {"group", "G", "group (name or gid) whose members may use the API besides root"},
       {"slot", "NAME", "OTA slot this binary runs from, measured at start (default: $EDGEWARD_OTA_SLOT from `ota boot`, else A)"},
       {"board", "NAME|FILE", "board whose labels images' node selectors must match (default: built in)"},
       {"log-max-size", "SIZE", "rotate a workload log above this size (default 1MiB)"},
       {"log-keep", "N", "rotated log files kept per workload (default 3)"},
       {"ota-state", "DIR", "OTA state directory (default <board data dir>/ota)"}, kOtaSlotA, kOtaSlotB,
       {"canary", "IMAGE", "signed canary image a runtime on trial must run to exit 0 before it is marked good (default <ota state>/canary.ewi)"},
       {"canary-timeout", "SECONDS", "time the canary gets (default 120)"}});
  int code = 0;
  auto p = parse_or_exit(parser, args, code);
  if (!p) return code;
  auto config = daemon_config(*p);
  if (!config) return report(config.error());
  auto ota = ota_trial_config(*p, config->slot);
  if (!ota) return report(ota.error());
  if (auto st = daemon::run_daemon(std::move(config).value(), std::move(ota).value()); !st) return report(st.error());
  return kExitOk;
}

int daemon_metrics(Args args) {
  const ArgParser parser("edgeward metrics", "Print the daemon's metrics in Prometheus text format.", {kSocketOption});
  int code = 0;
  auto p = parse_or_exit(parser, args, code);
  if (!p) return code;
  auto r = call_daemon(*p, {.op = daemon::Op::kMetrics});
  if (!r) return report(r.error());
  std::cout << r->data;
  return kExitOk;
}

}  // namespace edgeward::cli
