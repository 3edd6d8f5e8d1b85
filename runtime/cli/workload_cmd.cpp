// `edgeward run|ps|stop|logs|inspect|rm`: the local CLI of the daemon (runtime/daemon/).
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <thread>

#include "common/text/writer.h"
#include "common/units.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"
#include "runtime/cli/workload_show.h"

namespace edgeward::cli {
namespace {

const Option kJson{"json", "", "print as JSON"};

// Prints the log from `offset` until the end (or, with follow, until the workload ended); with
// `collect`, appends to it instead of printing.
Result<uint64_t> stream_logs(const ParsedArgs& p, const std::string& name, bool follow, std::string* collect = nullptr) {
  EW_ASSIGN(auto client, daemon::Client::connect(socket_path(p)));
  uint64_t offset = 0;
  for (;;) {
    EW_ASSIGN(auto r, client.call({.op = daemon::Op::kLogs, .name = name, .offset = offset}));
    if (collect) {
      *collect += r.data;
    } else if (!r.data.empty()) {
      text::out().write(r.data.data(), r.data.size());
      text::out().flush();
    }
    offset = r.offset;
    if (r.eof || (!follow && r.data.empty())) return offset;
    if (r.data.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

int show(const ParsedArgs& p, const daemon::Response& r, bool detail) {
  if (p.flag("json")) {
    if (detail && r.workloads.size() == 1) {
      text::out() << workload_json(r.workloads[0]).dump(2) << "\n";
    } else {
      nlohmann::ordered_json a = nlohmann::ordered_json::array();
      for (const auto& w : r.workloads) a.push_back(workload_json(w));
      text::out() << a.dump(2) << "\n";
    }
  } else if (detail) {
    for (const auto& w : r.workloads) print_detail(w);
  } else {
    print_table(r.workloads);
  }
  return kExitOk;
}

std::optional<ParsedArgs> one_name(const ArgParser& parser, Args args, int& code, const char* cmd) {
  auto p = parse_or_exit(parser, args, code);
  if (p && p->positional().size() != 1) {
    code = report(Error::invalid(std::string(cmd) + " takes one workload NAME (see --help)"));
    return std::nullopt;
  }
  return p;
}

}  // namespace

int workload_run(Args args) {
  const ArgParser parser(
      "edgeward run IMAGE [--backend auto|vm|sandbox] [--name N] [--restart POLICY] [--detach] [--json]",
      "Run a signed workload image under the daemon. The daemon verifies the signature against the\n"
      "fleet CA, records the measured launch, unpacks what the backend needs and starts it; its\n"
      "stdout and stderr go to the workload log. Backend auto: a microVM when the image has a kernel\n"
      "and KVM is measured fast, else the sandbox (the reason is printed). Without --detach the log\n"
      "is followed and the exit code is the workload's.",
      {{"backend", "NAME", "auto (default), vm or sandbox"},
       {"name", "N", "workload name (default: image file name + random suffix)"},
       {"restart", "POLICY", "no (default), on-failure, on-failure:N or always"},
       {"detach", "", "return once it started"},
       kJson,
       kSocketOption});
  int code = 0;
  auto p = parse_or_exit(parser, args, code);
  if (!p) return code;
  if (p->positional().size() != 1) return report(Error::invalid("run takes one IMAGE (see --help)"));
  char abs[PATH_MAX];
  if (!::realpath(p->positional()[0].c_str(), abs)) {
    return report(Error::not_found("image " + p->positional()[0] + " not found"));
  }
  auto r = call_daemon(*p, {.op = daemon::Op::kRun,
                            .name = p->value_or("name", ""),
                            .image = abs,
                            .backend = p->value_or("backend", "auto"),
                            .restart = p->value_or("restart", "no")});
  if (!r) return report(r.error());
  const daemon::WorkloadInfo& w = r->workloads.at(0);
  if (p->flag("json")) {
    text::out() << workload_json(w).dump(2) << "\n";
  } else {
    text::err() << "started " << w.name << " (" << w.backend << "; " << r->note << ")\n";
  }
  if (p->flag("detach") || p->flag("json")) return kExitOk;
  if (auto st = stream_logs(*p, w.name, true); !st) return report(st.error());
  auto end = call_daemon(*p, {.op = daemon::Op::kInspect, .name = w.name});
  if (!end) return report(end.error());
  const auto& e = end->workloads.at(0);
  return e.has_exit ? e.exit_status : kExitFailed;
}

int workload_ps(Args args) {
  const ArgParser parser("edgeward ps [--json]", "List the daemon's workloads.", {kJson, kSocketOption});
  int code = 0;
  auto p = parse_or_exit(parser, args, code);
  if (!p) return code;
  auto r = call_daemon(*p, {.op = daemon::Op::kPs});
  if (!r) return report(r.error());
  return show(*p, *r, false);
}

int workload_inspect(Args args) {
  const ArgParser parser("edgeward inspect NAME [--json]", "Show everything the daemon knows about a workload.",
                         {kJson, kSocketOption});
  int code = 0;
  auto p = one_name(parser, args, code, "inspect");
  if (!p) return code;
  auto r = call_daemon(*p, {.op = daemon::Op::kInspect, .name = p->positional()[0]});
  if (!r) return report(r.error());
  return show(*p, *r, true);
}

int workload_stop(Args args) {
  const ArgParser parser("edgeward stop NAME [--timeout S] [--json]",
                         "Stop a workload: SIGTERM, then SIGKILL after the timeout. A stopped workload is not\n"
                         "restarted by its policy; it stays listed until 'edgeward rm'.",
                         {{"timeout", "S", "seconds between SIGTERM and SIGKILL (default 10)"}, kJson, kSocketOption});
  int code = 0;
  auto p = one_name(parser, args, code, "stop");
  if (!p) return code;
  auto t = parse_uint(p->value_or("timeout", "10"), 0, 3600, "--timeout");
  if (!t) return report(t.error());
  auto r = call_daemon(*p, {.op = daemon::Op::kStop, .name = p->positional()[0], .timeout_s = static_cast<uint32_t>(*t)});
  if (!r) return report(r.error());
  if (p->flag("json")) return show(*p, *r, true);
  text::out() << p->positional()[0] << "\n";
  return kExitOk;
}

int workload_rm(Args args) {
  const ArgParser parser("edgeward rm NAME [--force]",
                         "Remove a stopped workload: its container, unpacked files, logs and record.",
                         {{"force", "", "stop it first (SIGKILL) if it is running"}, kSocketOption});
  int code = 0;
  auto p = one_name(parser, args, code, "rm");
  if (!p) return code;
  auto r = call_daemon(*p, {.op = daemon::Op::kRm, .name = p->positional()[0], .force = p->flag("force")});
  if (!r) return report(r.error());
  text::out() << p->positional()[0] << "\n";
  return kExitOk;
}

int workload_logs(Args args) {
  const ArgParser parser("edgeward logs NAME [-f|--follow] [--json]",
                         "Print a workload's stdout and stderr (the live log file; rotated files are in the\n"
                         "daemon's state directory). --follow keeps printing until the workload ends.",
                         {{"follow", "", "keep following the log (also -f)"},
                          {"json", "", "print {name, log, offset} as JSON (not with --follow)"},
                          kSocketOption});
  std::vector<std::string> rewritten(args.begin(), args.end());
  for (auto& a : rewritten) {
    if (a == "-f") a = "--follow";
  }
  int code = 0;
  auto p = one_name(parser, rewritten, code, "logs");
  if (!p) return code;
  if (p->flag("json")) {
    if (p->flag("follow")) return report(Error::invalid("logs: --json and --follow do not go together"));
    std::string text;
    auto end = stream_logs(*p, p->positional()[0], false, &text);
    if (!end) return report(end.error());
    const nlohmann::ordered_json j{{"name", p->positional()[0]}, {"log", text}, {"offset", *end}};
    text::out() << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  if (auto st = stream_logs(*p, p->positional()[0], p->flag("follow")); !st) return report(st.error());
  return kExitOk;
}

}  // namespace edgeward::cli
