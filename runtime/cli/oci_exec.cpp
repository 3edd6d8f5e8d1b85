// `edgeward exec`: a process in a running container, as runc exec. Either an OCI process JSON
// (`--process FILE`, what containerd's shim and conmon pass) or a command after the ID with
// --cwd/--env/--user/--additional-gids. With --detach it returns once the process runs (the
// caller reaps it by its pid); without, edgeward waits: the process has edgeward's stdio (or
// the pty sent to --console-socket with --tty), signals edgeward gets are forwarded to it, and
// edgeward exits with its status (code, or 128 + signal).
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <cerrno>

#include "common/units.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/oci_common.h"
#include "runtime/container/entry.h"
#include "runtime/oci/config_parser.h"
#include "runtime/oci/console.h"
#include "runtime/oci/global_options.h"
#include "runtime/oci/process_policy.h"

namespace edgeward::cli {
namespace {

volatile sig_atomic_t g_forward_to = 0;
void forward(int sig) {
  if (g_forward_to > 0) ::kill(static_cast<pid_t>(g_forward_to), sig);
}

// "UID[:GID]" (runc --user).
edgeward::Status parse_user(const std::string& text, runtime::ExecSpec& e) {
  const auto colon = text.find(':');
  EW_ASSIGN(uint64_t uid, parse_uint(text.substr(0, colon), 0, 0xfffffffe, "--user uid"));
  e.uid = static_cast<uint32_t>(uid);
  if (colon != std::string::npos) {
    EW_ASSIGN(uint64_t gid, parse_uint(text.substr(colon + 1), 0, 0xfffffffe, "--user gid"));
    e.gid = static_cast<uint32_t>(gid);
  }
  return {};
}

// `fields`: the process JSON's own (rlimits, capabilities, umask, consoleSize, ...), if one was given.
Result<runtime::ExecSpec> exec_spec(const ParsedArgs& a, bool& terminal, oci::ProcessFields& fields) {
  runtime::ExecSpec e;
  e.process.umask = 022;  // runc's when not given
  const auto& pos = a.positional();
  if (const auto process = a.value("process")) {
    if (pos.size() > 1) return Error::invalid("give either --process FILE or a command after the ID, not both");
    EW_ASSIGN(std::string text, runtime::read_text(*process));
    EW_ASSIGN(oci::OciConfig p, oci::parse_oci_process(text, *process));
    terminal = p.terminal || a.flag("tty");
    e.argv = p.args;
    e.env = p.env;
    e.cwd = p.cwd;
    e.uid = p.uid;
    e.gid = p.gid;
    e.additional_gids = p.additional_gids;
    EW_ASSIGN(e.process, oci::process_attrs(p.process_fields));
    if (!e.process.umask) e.process.umask = 022;
    warn_and_fit_process(p.process_fields, e.process);
    fields = p.process_fields;
    return e;
  }
  if (pos.size() < 2) return Error::invalid("exec needs --process FILE or a command after the ID (see --help)");
  e.argv.assign(pos.begin() + 1, pos.end());
  e.env = a.values("env");
  e.env_extends_container = true;
  e.cwd = a.value_or("cwd", "/");
  if (auto user = a.value("user")) EW_TRY(parse_user(*user, e));
  for (const auto& g : a.values("additional-gids")) {
    EW_ASSIGN(uint64_t gid, parse_uint(g, 0, 0xfffffffe, "--additional-gids"));
    e.additional_gids.push_back(static_cast<uint32_t>(gid));
  }
  terminal = a.flag("tty");
  return e;
}

// The process's status as a shell reports it.
int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

Result<int> do_exec(const ParsedArgs& a) {
  const bool detach = a.flag("detach");
  bool terminal = false;
  oci::ProcessFields fields;
  EW_ASSIGN(runtime::ExecSpec e, exec_spec(a, terminal, fields));
  UniqueFd console;
  const auto socket = a.value("console-socket");
  if (terminal != socket.has_value()) {
    return Error::invalid("a terminal (process.terminal or --tty) and --console-socket must be given together");
  }
  if (socket) {
    EW_ASSIGN(console, oci::open_console(*socket));
    e.stdio.terminal_fd = console.get();
    EW_TRY(apply_console_size(console.get(), fields));
  }
  EW_ASSIGN(runtime::ContainerRoot root, open_root());
  // In the foreground the process's init (a child of the monitor's parent) must be ours to wait
  // for: as a child subreaper, edgeward inherits the detached monitor and so the init.
  if (!detach && prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) return Error::io("cannot become a child subreaper to wait for the process");
  EW_ASSIGN(pid_t pid, root.exec(a.positional()[0], e));
  if (auto pid_file = a.value("pid-file")) EW_TRY(runtime::write_atomic(*pid_file, std::to_string(pid)));
  if (detach) return kExitOk;
  console.reset();
  g_forward_to = pid;
  struct sigaction sa {};
  sa.sa_handler = forward;
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH}) sigaction(sig, &sa, nullptr);
  for (;;) {  // reap everything handed to us (the monitor too) until the process is done
    int status = 0;
    const pid_t got = waitpid(-1, &status, 0);
    if (got == pid) return exit_code(status);
    if (got < 0 && errno != EINTR) return Error::io("lost the exec'd process " + std::to_string(pid) + " (not our child)");
  }
}

}  // namespace

int oci_exec(Args args) {
  const ArgParser parser(
      "edgeward [GLOBAL FLAGS] exec [--detach] [--pid-file FILE] [--console-socket SOCKET] [--tty]\n"
      "       (--process FILE ID | [--cwd DIR] [--env K=V]... [--user UID[:GID]] [--additional-gids G]... ID CMD [ARG...])",
      "OCI runtime (as runc exec): start a process in the running container ID, under the container's\n"
      "namespaces, root and policy: the OCI process in FILE (args, env, cwd, user, terminal), or CMD\n"
      "with the container's environment. Without --detach, wait for it and exit with its status.",
      {{"process", "FILE", "the process to run (OCI process JSON)"},
       {"detach", "", "return once it runs (the caller reaps it by its pid)"},
       {"pid-file", "FILE", "write its pid here"},
       {"console-socket", "SOCKET", "send the pty master for the terminal to this unix socket"},
       {"tty", "", "give the process a terminal (with --console-socket)"},
       {"cwd", "DIR", "working directory (CMD form)"},
       {"env", "K=V", "add to the container's environment (CMD form; repeatable)"},
       {"user", "UID[:GID]", "run as this user (CMD form)"},
       {"additional-gids", "GID", "supplementary group (CMD form; repeatable)"}});
  const auto argv = runc_style_args(
      args, {{"-p", "--process"}, {"-d", "--detach"}, {"-t", "--tty"}, {"-e", "--env"}, {"-u", "--user"}, {"-g", "--additional-gids"}},
      {"process", "pid-file", "console-socket", "cwd", "env", "user", "additional-gids"});
  int code = 0;
  auto parsed = parse_oci(parser, argv, SIZE_MAX, code);
  if (!parsed) return code;
  auto status = do_exec(*parsed);
  return status ? *status : oci::report_oci_error(status.error());
}

}  // namespace edgeward::cli
