// `edgeward version [--json]`.
#include <nlohmann/json.hpp>

#include "common/text/writer.h"
#include "common/version.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"

namespace edgeward::cli {

int version(Args args) {
  const ArgParser parser("edgeward version [--json]", "Show the version, source commit, arch and board of this binary.",
                         {{"json", "", "print as JSON"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  const Version v = current_version();
  if (parsed->flag("json")) {
    nlohmann::ordered_json j{{"version", v.version}, {"git_commit", v.git_commit}, {"arch", v.arch}, {"board", v.board}};
    text::out() << j.dump(2) << "\n";
  } else {
    text::out() << "edgeward " << v.version << "\ncommit " << v.git_commit << "\narch " << v.arch << "\nboard "
              << v.board << "\n";
  }
  return kExitOk;
}

}  // namespace edgeward::cli
