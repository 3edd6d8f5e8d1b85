// Shared start of every command handler: parse options, answer --help, report bad usage.
#pragma once

#include <optional>

#include "common/cli/args.h"
#include "common/text/writer.h"
#include "runtime/cli/command.h"

namespace edgeward::cli {

// Returns the parsed arguments, or nullopt with `exit_code` set (0 after printing --help,
// 2 after reporting a usage error).
inline std::optional<ParsedArgs> parse_or_exit(const ArgParser& parser, Args args, int& exit_code) {
  auto parsed = parser.parse(args);
  if (!parsed) {
    exit_code = report(parsed.error());
    return std::nullopt;
  }
  if (parsed->flag("help")) {
    text::out() << parser.help();
    exit_code = kExitOk;
    return std::nullopt;
  }
  return std::move(parsed).value();
}

}  // namespace edgeward::cli
