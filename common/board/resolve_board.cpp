#include <string>

#include "common/board/board_parser.h"
#include "common/board/embedded_boards.h"
#include "common/build_config.h"

namespace edgeward::board {

std::string_view default_board_name() { return EDGEWARD_BOARD; }

Result<Board> resolve_board(std::string_view spec) {
  if (spec.empty()) spec = default_board_name();
  const bool is_path = spec.find('/') != std::string_view::npos ||
                       (spec.size() > 4 && spec.substr(spec.size() - 4) == ".xml");
  if (is_path) return load_board_file(std::string(spec));
  for (const EmbeddedBoard& b : embedded_boards()) {
    if (b.name == spec) return parse_board_xml(b.xml, "<embedded>/boards/" + std::string(b.name) + ".xml");
  }
  std::string known;
  for (const EmbeddedBoard& b : embedded_boards()) known += (known.empty() ? "" : ", ") + std::string(b.name);
  return Error::not_found("no board named '" + std::string(spec) + "' (built-in boards: " + known +
                          "; or give the path of a board XML file)");
}

}  // namespace edgeward::board
