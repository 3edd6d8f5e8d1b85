// The OCI runtime commands (runtime-spec "operations", command line as runc's): create, start,
// state, kill, delete, features (exec, ps, pause/resume, update, events: oci_<name>.cpp); plus the hidden monitor command the container core re-executes.
// Global flags (--root, --log, --log-format, ...) were taken by dispatch (runtime/oci/global_options.h).
#include <climits>
#include <cstdlib>

#include <unistd.h>

#include "common/text/writer.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/oci_common.h"
#include "runtime/cli/parse.h"
#include "runtime/container/container.h"
#include "runtime/container/entry.h"
#include "runtime/oci/bundle.h"
#include "runtime/oci/console.h"
#include "runtime/oci/global_options.h"
#include "runtime/oci/oci_json.h"
#include "runtime/oci/signals.h"
#include "runtime/sandbox/devices.h"

namespace edgeward::cli {
namespace {

Result<runtime::ContainerState> do_create(const ParsedArgs& a) {
  const std::string id = a.positional()[0];
  const std::string bundle_arg = a.value_or("bundle", ".");
  char bundle[PATH_MAX];
  if (!realpath(bundle_arg.c_str(), bundle)) return Error::not_found("--bundle " + bundle_arg + " does not exist");
  EW_ASSIGN(oci::LoadedBundle b, oci::load_bundle(bundle, id));
  UniqueFd console;
  const auto socket = a.value("console-socket");
  if (b.config.terminal && !socket) {
    return Error::invalid("process.terminal is true but no --console-socket was given to pass the terminal to");
  }
  if (socket && !b.config.terminal) return Error::invalid("--console-socket given but process.terminal is false");
  if (socket) {
    EW_ASSIGN(console, oci::open_console(*socket));
    b.spec.stdio.terminal_fd = console.get();
    EW_TRY(apply_console_size(console.get(), b.config.process_fields));
  }
  warn_and_fit_process(b.config.process_fields, b.spec.workload.process);
  for (const auto& w : sandbox::device_warnings(b.spec.workload.fs.devices)) oci::log_warning(w);
  EW_ASSIGN(runtime::ContainerRoot root, open_root());
  EW_ASSIGN(runtime::ContainerState st, root.create(b.spec));
  if (auto pid_file = a.value("pid-file")) {
    if (auto w = runtime::write_atomic(*pid_file, std::to_string(oci::container_pid(st))); !w) {
      (void)root.remove(id, true);  // a failed create leaves nothing behind
      return std::move(w).error().context("--pid-file");
    }
  }
  return st;
}

}  // namespace

int oci_create(Args args) {
  const ArgParser parser(
      "edgeward [GLOBAL FLAGS] create [--bundle DIR] [--pid-file FILE] [--console-socket SOCKET] ID",
      "OCI runtime: create container ID from the bundle DIR (default: the current directory): its\n"
      "workload is prepared in the sandbox (or a microVM when annotations ask) and waits for `start`.\n"
      "Global flags: --root DIR (default /run/edgeward/oci) --log FILE --log-format text|json\n"
      "--systemd-cgroup (accepted) --debug. See docs/oci.md.",
      {{"bundle", "DIR", "the OCI bundle (config.json and the root file system)"},
       {"pid-file", "FILE", "write the container's pid (the sandbox's init; a microVM's monitor) here"},
       {"console-socket", "SOCKET", "send the pty master for process.terminal to this unix socket"},
       {"no-pivot", "", "accepted (the sandbox always pivots into the root)"},
       {"no-new-keyring", "", "accepted (no session keyring is created)"},
       {"preserve-fds", "N", "accepted when 0 (no extra descriptors are passed)"}});
  int code = 0;
  auto parsed = parse_oci(parser, args, 1, code);
  if (!parsed) return code;
  if (parsed->value_or("preserve-fds", "0") != "0") {
    return oci::report_oci_error(Error::unsupported("--preserve-fds is not supported (only 0)"));
  }
  auto st = do_create(*parsed);
  return st ? kExitOk : oci::report_oci_error(st.error());
}

int oci_start(Args args) {
  const ArgParser parser("edgeward [GLOBAL FLAGS] start ID", "OCI runtime: run the created container's program.", {});
  int code = 0;
  auto parsed = parse_oci(parser, args, 1, code);
  if (!parsed) return code;
  auto root = open_root();
  return oci_done(root ? root->start(parsed->positional()[0]) : edgeward::Status(root.error()));
}

int oci_state(Args args) {
  const ArgParser parser("edgeward [GLOBAL FLAGS] state ID",
                         "OCI runtime: print the container's state as JSON (status created, running or stopped).", {});
  int code = 0;
  auto parsed = parse_oci(parser, args, 1, code);
  if (!parsed) return code;
  auto root = open_root();
  if (!root) return oci::report_oci_error(root.error());
  auto st = root->state(parsed->positional()[0]);
  if (!st) return oci::report_oci_error(st.error());
  text::out() << oci::state_json(*st);
  return kExitOk;
}

int oci_kill(Args args) {
  const ArgParser parser("edgeward [GLOBAL FLAGS] kill [--all] ID [SIGNAL]",
                         "OCI runtime: send SIGNAL (name or number, default TERM) to the container's workload.",
                         {{"all", "", "the signal reaches every process of the container's cgroup, as runc's --all"}});
  int code = 0;
  auto parsed = parse_oci(parser, args, 2, code);
  if (!parsed) return code;
  const auto& pos = parsed->positional();
  auto sig = oci::parse_signal(pos.size() > 1 ? pos[1] : "TERM");
  if (!sig) return oci::report_oci_error(sig.error());
  auto root = open_root();
  return oci_done(root ? root->kill(pos[0], *sig, parsed->flag("all")) : edgeward::Status(root.error()));
}

int oci_delete(Args args) {
  const ArgParser parser("edgeward [GLOBAL FLAGS] delete [--force] ID",
                         "OCI runtime: delete a stopped (or created) container; --force kills a running one first.",
                         {{"force", "", "kill the container first if it is running"}});
  int code = 0;
  auto parsed = parse_oci(parser, args, 1, code);
  if (!parsed) return code;
  auto root = open_root();
  if (!root) return oci::report_oci_error(root.error());
  auto removed = root->remove(parsed->positional()[0], parsed->flag("force"));
  // As runc: with --force, a container that does not exist (any more) is not an error.
  if (!removed && removed.error().code == ErrorCode::kNotFound && parsed->flag("force")) return kExitOk;
  return oci_done(removed);
}

int oci_features(Args args) {
  const ArgParser parser("edgeward features", "OCI runtime: what this runtime supports (runtime-spec features.md), as JSON.", {});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  text::out() << oci::features_json();
  return kExitOk;
}

int container_monitor(Args args) {
  if (args.size() != 3 && args.size() != 4) return report(Error::invalid("internal command; not for use by hand"));
  return runtime::monitor_main(args[0], args[1], std::atoi(args[2].c_str()), args.size() == 4 ? args[3] : "");
}

}  // namespace edgeward::cli
