#include <array>

#include "runtime/cli/commands.h"

namespace edgeward::cli {
namespace {

constexpr std::array kCommands{
    Command{"board show", "show this node's board (or a board file) [--json]", board_show},
    Command{"board list", "list the boards built into this binary [--json]", board_list},
    Command{"vm run", "boot a Linux kernel in a KVM microVM [--kernel --initrd --mem --vcpus --disk]", vm_run},
    Command{"sandbox run", "run a program in the ptrace + seccomp sandbox [--json]", sandbox_run},
    Command{"sandbox policy", "print the built-in default sandbox policy", sandbox_policy},
    Command{"version", "show version, commit, arch and board [--json]", version},
};

}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace edgeward::cli
