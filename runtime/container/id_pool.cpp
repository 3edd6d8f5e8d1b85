#include "runtime/container/id_pool.h"

#include "common/board/embedded_boards.h"

namespace edgeward::runtime {

Result<sandbox::IdPool> board_id_pool(std::string_view board) {
  EW_ASSIGN(board::Board b, board::resolve_board(board));
  sandbox::IdPool pool;
  pool.base = b.userns.base;
  pool.ranges = b.userns.ranges;
  pool.size = b.userns.size;
  return pool;
}

}  // namespace edgeward::runtime
