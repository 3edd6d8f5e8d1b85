// `edgeward update [--memory B] [--cpu-share N] [--cpu-quota U] [--cpu-period U] [--pids-limit N]
// [-r FILE|-] ID`: rewrite a running container's cgroup limits, as runc update (containerd's
// runc shim passes `--resources -` with linux.resources JSON on stdin).
#include <cstdio>
#include <iterator>

#include "common/units.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/oci_common.h"
#include "runtime/container/entry.h"
#include "runtime/oci/global_options.h"
#include "runtime/oci/update_resources_parser.h"

namespace edgeward::cli {
namespace {

Result<int64_t> signed_value(const std::string& text, const std::string& flag, bool sizes) {
  if (text == "-1") return int64_t{-1};
  auto v = sizes ? parse_size(text) : parse_uint(text, 0, INT64_MAX, flag);
  if (!v) return std::move(v).error().context(flag);
  if (*v > static_cast<uint64_t>(INT64_MAX)) return Error::invalid(flag + ": " + text + " is out of range");
  return static_cast<int64_t>(*v);
}

Result<runtime::ResourceUpdate> from_flags(const ParsedArgs& a) {
  runtime::ResourceUpdate u;
  if (auto v = a.value("memory")) {
    EW_ASSIGN(u.memory_limit, signed_value(*v, "--memory", true));
  }
  if (auto v = a.value("cpu-quota")) {
    EW_ASSIGN(u.cpu_quota, signed_value(*v, "--cpu-quota", false));
  }
  if (auto v = a.value("pids-limit")) {
    EW_ASSIGN(u.pids_limit, signed_value(*v, "--pids-limit", false));
  }
  for (const char* name : {"cpu-share", "cpu-shares"}) {
    if (auto v = a.value(name)) {
    EW_ASSIGN(u.cpu_shares, parse_uint(*v, 2, 262144, std::string("--") + name));
  }
  }
  if (auto v = a.value("cpu-period")) {
    EW_ASSIGN(u.cpu_period, parse_uint(*v, 1000, 1000000, "--cpu-period"));
  }
  return u;
}

Result<runtime::ResourceUpdate> from_file(const std::string& file) {
  if (file != "-") {
    EW_ASSIGN(std::string text, runtime::read_text(file));
    return oci::parse_resources(text, file);
  }
  std::string text;
  char buf[4096];
  while (const size_t n = std::fread(buf, 1, sizeof buf, stdin)) {
    text.append(buf, n);
    if (text.size() > oci::kMaxResourcesBytes) break;  // the parser refuses it, naming the cap
  }
  return oci::parse_resources(text, "stdin");
}

}  // namespace

int oci_update(Args args) {
  const ArgParser parser(
      "edgeward [GLOBAL FLAGS] update [--memory B] [--cpu-share N] [--cpu-quota U] [--cpu-period U]\n"
      "       [--pids-limit N] [--resources FILE|-] ID",
      "OCI runtime (as runc update): rewrite the running container ID's cgroup limits. With\n"
      "--resources (linux.resources JSON, '-' for stdin) the other flags are ignored, as in runc.\n"
      "-1 removes a memory, quota or pids limit.",
      {{"resources", "FILE", "linux.resources JSON: memory.limit, cpu.shares/quota/period, pids.limit"},
       {"memory", "BYTES", "memory limit (units K, M, G allowed)"},
       {"memory-swap", "BYTES", "accepted when -1 or 0 (there is no swap accounting)"},
       {"cpu-share", "N", "CPU shares (relative weight)"},
       {"cpu-shares", "N", "the same"},
       {"cpu-quota", "USECS", "CFS quota per period"},
       {"cpu-period", "USECS", "CFS period"},
       {"pids-limit", "N", "maximum number of tasks"}});
  const auto argv = runc_style_args(args, {{"-r", "--resources"}},
                                    {"resources", "memory", "memory-swap", "cpu-share", "cpu-shares", "cpu-quota", "cpu-period", "pids-limit"});
  int code = 0;
  auto parsed = parse_oci(parser, argv, 1, code);
  if (!parsed) return code;
  if (auto swap = parsed->value("memory-swap"); swap && *swap != "-1" && *swap != "0") {
    return oci::report_oci_error(Error::unsupported("--memory-swap " + *swap + " cannot be applied: edgeward has no swap accounting (use -1)"));
  }
  auto update = parsed->value("resources") ? from_file(*parsed->value("resources")) : from_flags(*parsed);
  if (!update) return oci::report_oci_error(update.error());
  auto root = open_root();
  return oci_done(root ? root->update(parsed->positional()[0], *update) : edgeward::Status(root.error()));
}

}  // namespace edgeward::cli
