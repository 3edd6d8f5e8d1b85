// `edgeward daemon` (the device daemon) and `edgeward metrics` (its Prometheus text).
#include <grp.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "common/board/embedded_boards.h"
#include "common/text/writer.h"
#include "common/units.h"
#include "runtime/cli/commands.h"
#include "ota/repo/duration.h"
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
  c.id_pool = sandbox::IdPool{board.userns.base, board.userns.ranges, board.userns.size};
  return c;
}

// The daemon's OTA duties (runtime/daemon/ota_trial.h, ota_updater.h): on when it was started by
// `edgeward ota boot` or given --ota-state or --ota-repo, so that a daemon run for a test or by
// hand never acts on the device's real OTA state.
Result<daemon::DaemonOta> daemon_ota(const ParsedArgs& p, const std::string& slot) {
  daemon::DaemonOta o;
  const char* booted = std::getenv("EDGEWARD_OTA_SLOT");
  if (!(booted && *booted) && !p.value("ota-state") && !p.value("ota-repo")) return o;
  EW_ASSIGN(ota::OtaLayout layout, ota_layout_of(p, "ota-state"));
  o.trial.layout = layout;
  o.trial.slot = slot;
  o.trial.canary_image = p.value_or("canary", "");
  EW_ASSIGN(uint64_t timeout, parse_uint(p.value_or("canary-timeout", "120"), 1, 3600, "--canary-timeout"));
  o.trial.timeout_s = static_cast<uint32_t>(timeout);

  daemon::OtaUpdaterConfig& u = o.updater;
  u.layout = std::move(layout);
  u.repo.url = p.value_or("ota-repo", "");
  while (u.repo.url.size() > 1 && u.repo.url.back() == '/') u.repo.url.pop_back();
  u.repo.transport.tls.ca_file = p.value_or("ota-ca", "");
  if (u.repo.url.starts_with("https://") && u.repo.transport.tls.ca_file.empty()) {
    return Error::invalid("--ota-repo https://... needs --ota-ca FILE, the fleet CA its server must chain to");
  }
  EW_ASSIGN(u.interval_s, ota::repo::parse_duration(p.value_or("ota-interval", "1h")));
  EW_ASSIGN(u.jitter_s, ota::repo::parse_duration(p.value_or("ota-jitter", "10m")));
  EW_ASSIGN(u.probation_s, ota::repo::parse_duration(p.value_or("ota-probation", "30s")));
  if (u.jitter_s >= u.interval_s) return Error::invalid("--ota-jitter must be shorter than --ota-interval");
  EW_ASSIGN(board::Board b, board::resolve_board(p.value_or("board", "")));
  u.device = {b.name, std::string(board::arch_name(b.arch))};
  return o;
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
       {"board", "NAME|FILE", "board whose labels images' node selectors must match and whose <userns> pool workloads' host ids come from (default: built in)"},
       {"log-max-size", "SIZE", "rotate a workload log above this size (default 1MiB)"},
       {"log-keep", "N", "rotated log files kept per workload (default 3)"},
       {"ota-state", "DIR", "OTA state (default <board data dir>/ota); OTA duties: with it, --ota-repo or `ota boot`"},
       kOtaSlotA, kOtaSlotB,
       {"canary", "IMAGE", "signed image a runtime on trial must run to exit 0 (default <ota state>/canary.ewi)"},
       {"canary-timeout", "SECONDS", "time the canary gets (default 120)"},
       {"ota-repo", "URL", "repository checked on a schedule; newer workload images installed in the background"},
       {"ota-ca", "FILE", "fleet CA (PEM) an https:// --ota-repo must chain to"},
       {"ota-interval", "DURATION", "time between checks, e.g. 30m, 6h (default 1h)"},
       {"ota-jitter", "DURATION", "each wait is the interval plus or minus up to this (default 10m)"},
       {"ota-probation", "DURATION", "a new workload image that stays up this long is kept (default 30s)"}});
  int code = 0;
  auto p = parse_or_exit(parser, args, code);
  if (!p) return code;
  auto config = daemon_config(*p);
  if (!config) return report(config.error());
  auto ota = daemon_ota(*p, config->slot);
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
  text::out() << r->data;
  return kExitOk;
}

}  // namespace edgeward::cli
