// The OCI runtime commands (runtime-spec "operations", command line as runc's): create, start,
// state, kill, delete, features; plus the hidden monitor command the container core re-executes.
// Global flags (--root, --log, --log-format, ...) were taken by dispatch (runtime/oci/global_options.h).
#include <climits>
#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"
#include "runtime/container/container.h"
#include "runtime/container/entry.h"
#include "runtime/oci/bundle.h"
#include "runtime/oci/console.h"
#include "runtime/oci/global_options.h"
#include "runtime/oci/oci_json.h"
#include "runtime/oci/process_policy.h"
#include "runtime/oci/signals.h"

namespace edgeward::cli {
namespace {

// Like parse_or_exit, but usage errors also reach the --log file.
std::optional<ParsedArgs> parse_oci(const ArgParser& parser, Args args, size_t positional, int& code) {
  auto parsed = parser.parse(args);
  if (!parsed) {
    code = oci::report_oci_error(parsed.error());
    return std::nullopt;
  }
  if (parsed->flag("help")) {
    std::cout << parser.help();
    code = kExitOk;
    return std::nullopt;
  }
  const size_t n = parsed->positional().size();
  if (n < 1 || n > positional) {
    code = oci::report_oci_error(Error::invalid("expected a container ID (see --help)"));
    return std::nullopt;
  }
  if (oci::global_options().debug) {
    std::string line = "arguments:";
    for (const auto& a : args) line += " " + a;
    oci::log_debug(line + " (root " + oci::global_options().root + ")");
  }
  return std::move(parsed).value();
}

edgeward::Status apply_console_size(int pty, const oci::ProcessFields& f) {
  return f.console_size ? oci::set_console_size(pty, f.console_size->height, f.console_size->width) : edgeward::Status{};
}

// --root as given, a relative one against the working directory (as runc).
Result<runtime::ContainerRoot> open_root() {
  std::string root = oci::global_options().root;
  if (!root.empty() && root[0] != '/') {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return Error::io("cannot resolve the relative --root " + root);
    root = std::string(cwd) + "/" + root;
  }
  EW_ASSIGN(runtime::ContainerRoot r, runtime::ContainerRoot::open(root));
  r.set_warning_sink(oci::log_warning);
  return r;
}

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
  for (const auto& w : oci::process_warnings(b.config.process_fields)) oci::log_warning(w);
  for (const auto& w : oci::fit_rlimits_to_caller(b.spec.workload.process)) oci::log_warning(w);
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

int done(const edgeward::Status& s) { return s ? kExitOk : oci::report_oci_error(s.error()); }

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
  return done(root ? root->start(parsed->positional()[0]) : edgeward::Status(root.error()));
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
  std::cout << oci::state_json(*st);
  return kExitOk;
}

int oci_kill(Args args) {
  const ArgParser parser("edgeward [GLOBAL FLAGS] kill [--all] ID [SIGNAL]",
                         "OCI runtime: send SIGNAL (name or number, default TERM) to the container's workload.",
                         {{"all", "", "accepted: the signal reaches the workload's first process, as for runc's --all"}});
  int code = 0;
  auto parsed = parse_oci(parser, args, 2, code);
  if (!parsed) return code;
  const auto& pos = parsed->positional();
  auto sig = oci::parse_signal(pos.size() > 1 ? pos[1] : "TERM");
  if (!sig) return oci::report_oci_error(sig.error());
  auto root = open_root();
  return done(root ? root->kill(pos[0], *sig) : edgeward::Status(root.error()));
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
  return done(removed);
}

namespace {

// As runc's: the runc v2 shim runs `exec --process F --detach --pid-file P [--console-socket S] ID`.
Result<pid_t> do_exec(const ParsedArgs& a) {
  const auto process = a.value("process");
  if (!process) return Error::invalid("exec needs --process FILE (an OCI process JSON)");
  if (!a.flag("detach")) return Error::unsupported("exec without --detach is not supported (the caller reaps the process)");
  EW_ASSIGN(std::string text, runtime::read_text(*process));
  EW_ASSIGN(oci::OciConfig p, oci::parse_oci_process(text, *process));
  runtime::ExecSpec e{p.args, p.env, p.cwd, p.uid, p.gid, p.additional_gids, {}, {}};
  EW_ASSIGN(e.process, oci::process_attrs(p.process_fields));
  if (!e.process.umask) e.process.umask = 022;  // runc's when not given
  UniqueFd console;
  const auto socket = a.value("console-socket");
  if (p.terminal != socket.has_value()) {
    return Error::invalid("process.terminal and --console-socket must be given together");
  }
  if (socket) {
    EW_ASSIGN(console, oci::open_console(*socket));
    e.stdio.terminal_fd = console.get();
    EW_TRY(apply_console_size(console.get(), p.process_fields));
  }
  for (const auto& w : oci::process_warnings(p.process_fields)) oci::log_warning(w);
  for (const auto& w : oci::fit_rlimits_to_caller(e.process)) oci::log_warning(w);
  EW_ASSIGN(runtime::ContainerRoot root, open_root());
  EW_ASSIGN(pid_t pid, root.exec(a.positional()[0], e));
  if (auto pid_file = a.value("pid-file")) EW_TRY(runtime::write_atomic(*pid_file, std::to_string(pid)));
  return pid;
}

}  // namespace

int oci_exec(Args args) {
  const ArgParser parser(
      "edgeward [GLOBAL FLAGS] exec --process FILE --detach [--pid-file FILE] [--console-socket SOCKET] ID",
      "OCI runtime: start the process described by FILE (an OCI process: args, env, cwd, user,\n"
      "terminal) in the running container ID, under the container's namespaces, root and policy.",
      {{"process", "FILE", "the process to run (JSON)"},
       {"detach", "", "return once it runs (required: the caller reaps it by its pid)"},
       {"pid-file", "FILE", "write its pid here"},
       {"console-socket", "SOCKET", "send the pty master for process.terminal to this unix socket"}});
  int code = 0;
  auto parsed = parse_oci(parser, args, 1, code);
  if (!parsed) return code;
  auto pid = do_exec(*parsed);
  return pid ? kExitOk : oci::report_oci_error(pid.error());
}

int oci_features(Args args) {
  const ArgParser parser("edgeward features", "OCI runtime: what this runtime supports (runtime-spec features.md), as JSON.", {});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  std::cout << oci::features_json();
  return kExitOk;
}

int container_monitor(Args args) {
  if (args.size() != 3 && args.size() != 4) return report(Error::invalid("internal command; not for use by hand"));
  return runtime::monitor_main(args[0], args[1], std::atoi(args[2].c_str()), args.size() == 4 ? args[3] : "");
}

}  // namespace edgeward::cli
