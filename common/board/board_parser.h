// Board XML parser (tinyxml2). Turns one boards/*.xml file into a Board, or an Error whose
// message names the file, the line and what to fix. Hostile input is expected: size is capped,
// every field is checked, unknown or repeated elements are refused.
//
// Format (all elements required unless marked optional):
//   <board name="generic-x86_64" schema="1">
//     <description>...</description>            (optional)
//     <arch>x86_64|aarch64</arch>
//     <toolchain>x86_64-linux-gnu</toolchain>
//     <memory>4GiB</memory>
//     <cpus>4</cpus>
//     <kvm expected="true|false"/>
//     <console device="ttyS0" baud="115200"/>
//     <storage data="/var/lib/edgeward">
//       <slot name="A" path="/..."/> <slot name="B" path="/..."/>
//     </storage>
//     <labels> <label key="k" value="v"/> ... </labels>
//     <userns base="1879048192" ranges="1024" size="65536"/>   (optional, each attribute too:
//        the host id ranges of workloads' user namespaces, board.h's UserNamespaces)
//   </board>
#pragma once

#include <string>
#include <string_view>

#include "common/board/board.h"
#include "common/result.h"

namespace edgeward::board {

constexpr size_t kMaxBoardFileBytes = 64 * 1024;

// `source` names the input in error messages (a path, or "<embedded>").
Result<Board> parse_board_xml(std::string_view xml, std::string_view source);

// Reads and parses a board file; errors name the path.
Result<Board> load_board_file(const std::string& path);

}  // namespace edgeward::board
