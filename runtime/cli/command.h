// The CLI's command table: every subcommand is one entry (name, summary, handler) listed in
// command_table.cpp; dispatch.cpp picks the entry whose words match the arguments.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace edgeward::cli {

using Args = std::span<const std::string>;

struct Command {
  std::string_view name;     // words, e.g. "board show"
  std::string_view summary;  // one line for `edgeward --help`
  int (*run)(Args args);     // returns the process exit code
};

std::span<const Command> commands();

// Runs the CLI on argv[1..]; returns the exit code.
int run_cli(Args args);

// Prints "edgeward: error: <message>" to stderr and returns the exit code for the error.
int report(const Error& e);

// Exit codes (documented in --help): 0 ok, 1 the operation failed, 2 bad input or usage.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

}  // namespace edgeward::cli
