// `edgeward pause ID` / `edgeward resume ID`: freeze and thaw the container's processes through
// its cgroup (v1 freezer or v2 cgroup.freeze), as runc pause / resume; state says "paused".
#include "runtime/cli/commands.h"
#include "runtime/cli/oci_common.h"
#include "runtime/oci/global_options.h"

namespace edgeward::cli {

int oci_pause(Args args) {
  const ArgParser parser("edgeward [GLOBAL FLAGS] pause ID",
                         "OCI runtime (as runc pause): freeze every process of the running container ID\n"
                         "(its state becomes paused until `resume`).", {});
  int code = 0;
  auto parsed = parse_oci(parser, args, 1, code);
  if (!parsed) return code;
  auto root = open_root();
  return oci_done(root ? root->pause(parsed->positional()[0]) : edgeward::Status(root.error()));
}

int oci_resume(Args args) {
  const ArgParser parser("edgeward [GLOBAL FLAGS] resume ID",
                         "OCI runtime (as runc resume): thaw the paused container ID (running again).", {});
  int code = 0;
  auto parsed = parse_oci(parser, args, 1, code);
  if (!parsed) return code;
  auto root = open_root();
  return oci_done(root ? root->resume(parsed->positional()[0]) : edgeward::Status(root.error()));
}

}  // namespace edgeward::cli
