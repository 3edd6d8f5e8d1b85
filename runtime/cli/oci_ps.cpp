// `edgeward ps [--format table|json] ID`: the processes in the container's cgroup, as runc ps
// (containerd's runc shim reads the JSON form: an array of host pids). `edgeward ps` without an
// ID or --format stays the daemon's workload list (ps_command).

#include "common/text/file_text.h"
#include "common/text/scanner.h"
#include "common/text/writer.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/oci_common.h"
#include "runtime/oci/control_json.h"
#include "runtime/oci/global_options.h"

namespace edgeward::cli {
namespace {

// One table row from /proc (the host's view): PID, PPID, state and command line.
std::string row(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid);
  text::Scanner stat(text::read_file(dir + "/stat", 4096).value_or(""));
  std::string line;
  getline(stat, line);
  std::string state = "?", ppid = "?";
  if (const auto close = line.rfind(')'); close != std::string::npos) {
    text::Scanner rest(line.substr(close + 1));
    rest >> state >> ppid;
  }
  std::string args = text::read_file(dir + "/cmdline", 1 << 20).value_or("");
  while (!args.empty() && args.back() == '\0') args.pop_back();
  for (char& c : args) c = c == '\0' ? ' ' : c;
  char out[64];
  std::snprintf(out, sizeof out, "%-8d %-8s %-5s ", static_cast<int>(pid), ppid.c_str(), state.c_str());
  return out + args + "\n";
}

}  // namespace

int oci_ps(Args args) {
  const ArgParser parser("edgeward [GLOBAL FLAGS] ps [--format table|json] ID",
                         "OCI runtime (as runc ps): the processes in container ID's cgroup, by host pid.\n"
                         "The table is read from /proc (PID PPID STAT CMD); ps(1) options are not taken.",
                         {{"format", "table|json", "table (default) or json (an array of pids)"}});
  const auto argv = runc_style_args(args, {{"-f", "--format"}}, {"format"});
  int code = 0;
  auto parsed = parse_oci(parser, argv, 1, code);
  if (!parsed) return code;
  const std::string format = parsed->value_or("format", "table");
  if (format != "table" && format != "json") {
    return oci::report_oci_error(Error::invalid("--format must be table or json, got \"" + format + "\""));
  }
  auto root = open_root();
  if (!root) return oci::report_oci_error(root.error());
  auto pids = root->processes(parsed->positional()[0]);
  if (!pids) return oci::report_oci_error(pids.error());
  if (format == "json") {
    text::out() << oci::pids_json(*pids);
    return kExitOk;
  }
  text::out() << "PID      PPID     STAT  CMD\n";
  for (pid_t p : *pids) text::out() << row(p);
  return kExitOk;
}

int ps_command(Args args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--socket") {  // the daemon's `ps --socket PATH`: PATH is not a container ID
      ++i;
      continue;
    }
    const bool oci = a == "-f" || a.rfind("--format", 0) == 0 || (!a.empty() && a[0] != '-');
    if (oci) return oci_ps(args);
  }
  return workload_ps(args);
}

}  // namespace edgeward::cli
