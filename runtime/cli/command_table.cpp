#include <array>

#include "runtime/cli/commands.h"

namespace edgeward::cli {
namespace {

constexpr std::array kCommands{
    Command{"board show", "show this node's board (or a board file) [--json]", board_show},
    Command{"board list", "list the boards built into this binary [--json]", board_list},
    Command{"image build", "build an unsigned workload image (.ewi)", image_build},
    Command{"image inspect", "show an image's manifest (not verified) [--json]", image_inspect},
    Command{"image sign", "sign a workload image with the fleet signer key", image_sign},
    Command{"image verify", "verify an image's signature, certificate chain and digests [--json]", image_verify},
    Command{"keys gen", "generate a development fleet CA, image signer and client certificate", keys_gen},
    Command{"version", "show version, commit, arch and board [--json]", version},
};

}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace edgeward::cli
