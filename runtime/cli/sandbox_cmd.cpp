// `edgeward sandbox run|policy`: run a program in the ptrace + seccomp sandbox; show the
// built-in default policy.
#include <unistd.h>

#include "common/text/writer.h"
#include "common/units.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"
#include "runtime/container/id_pool.h"
#include "runtime/sandbox/default_policy.h"
#include "runtime/sandbox/result_json.h"
#include "runtime/sandbox/sandbox.h"

namespace edgeward::cli {

int sandbox_run(Args args) {
  const ArgParser parser(
      "edgeward sandbox run --rootfs DIR [--policy FILE] [--mem 256M] [--pids 64] [--net none|host] [--ptrace-only] [--json] -- CMD ARGS...",
      "Run CMD inside the ptrace + seccomp sandbox: new namespaces, read-only rootfs with private /tmp,\n"
      "cgroup (or rlimit) limits, no capabilities, and a supervisor checking paths, exec and sockets.\n"
      "Exit code: the workload's status (128+N when killed by signal N); 1/2 when the sandbox itself failed.",
      {{"rootfs", "DIR", "root file system (needs /tmp, /dev and /proc directories)"},
       {"policy", "FILE", "policy XML (default: the built-in profile, see `edgeward sandbox policy`)"},
       {"mem", "SIZE", "memory limit (default 256M)"},
       {"pids", "N", "task limit (default 64)"},
       {"net", "MODE", "none (own empty network namespace, default) or host"},
       {"board", "NAME|FILE", "as root: the board whose <userns> pool the workload's host ids come from (default: the build's)"},
       {"ptrace-only", "", "inspect every call with ptrace stops, even where seccomp user notification is available"},
       {"json", "", "print the result (status, usage, denied calls) as JSON on stdout"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  sandbox::SandboxConfig cfg;
  auto rootfs = parsed->value("rootfs");
  if (!rootfs) return report(Error::invalid("--rootfs DIR is required"));
  cfg.rootfs = *rootfs;
  cfg.argv = parsed->positional();
  auto mem = parse_size(parsed->value_or("mem", "256M"));
  if (!mem) return report(std::move(mem).error().context("--mem"));
  cfg.memory_bytes = *mem;
  auto pids = parse_uint(parsed->value_or("pids", "64"), 1, 1u << 22, "--pids");
  if (!pids) return report(pids.error());
  cfg.pids = *pids;
  const std::string net = parsed->value_or("net", "none");
  if (net != "none" && net != "host") return report(Error::invalid("--net must be none or host, got \"" + net + "\""));
  cfg.net_host = net == "host";
  cfg.user_notify = !parsed->flag("ptrace-only");
  if (geteuid() == 0) {
    auto pool = runtime::board_id_pool(parsed->value_or("board", ""));
    if (!pool) return report(std::move(pool).error().context("--board"));
    cfg.id_pool = *pool;
  }
  auto policy = parsed->value("policy") ? sandbox::load_policy_file(*parsed->value("policy")) : sandbox::default_policy();
  if (!policy) return report(policy.error());
  cfg.policy = std::move(policy).value();

  auto result = sandbox::run_sandbox(cfg);
  if (!result) return report(result.error());
  text::out().flush();
  if (parsed->flag("json")) {
    text::out() << sandbox::result_json(*result).dump(2) << "\n";
  } else if (!result->denials.empty() || !result->exited || result->cgroup_mode == "none" || result->oom_killed) {
    text::err() << sandbox::result_summary(*result);
  }
  return result->shell_status();
}

int sandbox_policy(Args args) {
  const ArgParser parser("edgeward sandbox policy", "Print the built-in default sandbox policy (XML).", {});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  text::out() << sandbox::default_policy_xml();
  return kExitOk;
}

}  // namespace edgeward::cli
