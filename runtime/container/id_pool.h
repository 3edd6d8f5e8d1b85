// The pool of host id ranges that workloads' user namespaces map to (sandbox/id_range.h), from the
// board: boards/<name>.xml's <userns> (common/board/board.h).
#pragma once

#include <string_view>

#include "common/result.h"
#include "runtime/sandbox/id_range.h"

namespace edgeward::runtime {

// `board`: a board name or file (common/board/resolve_board); empty: the build's own board.
Result<sandbox::IdPool> board_id_pool(std::string_view board = "");

}  // namespace edgeward::runtime
