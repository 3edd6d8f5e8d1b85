# Writes OUTPUT (a .cpp) holding every XML file in BOARDS_DIR as an EmbeddedBoard.
# Run as: cmake -DBOARDS_DIR=... -DOUTPUT=... -P embed_boards.cmake
file(GLOB board_files "${BOARDS_DIR}/*.xml")
list(SORT board_files)
set(body "")
foreach(f IN LISTS board_files)
  get_filename_component(name "${f}" NAME_WE)
  file(READ "${f}" xml)
  string(FIND "${xml}" ")EWXML\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw-string delimiter )EWXML\"")
  endif()
  string(APPEND body "    {\"${name}\", R\"EWXML(${xml})EWXML\"},\n")
endforeach()
list(LENGTH board_files count)
set(content "// Generated from boards/*.xml by cmake/embed_boards.cmake; do not edit.
#include \"common/board/embedded_boards.h\"

#include <array>

namespace edgeward::board {
namespace {
constexpr std::array<EmbeddedBoard, ${count}> kBoards{{
${body}}};
}  // namespace

std::span<const EmbeddedBoard> embedded_boards() { return kBoards; }

}  // namespace edgeward::board
")
# Only touch the output when it changes, so builds stay incremental.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
