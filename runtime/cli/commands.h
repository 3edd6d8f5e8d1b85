// Handlers of the CLI's commands, one declaration per command (see command_table.cpp).
#pragma once

#include "runtime/cli/command.h"

namespace edgeward::cli {

int board_show(Args args);
int board_list(Args args);
int sandbox_run(Args args);
int sandbox_policy(Args args);
int version(Args args);
int vm_run(Args args);

}  // namespace edgeward::cli
