// --state/--slot-a/--slot-b -> OtaLayout (see ota_layout.h).
#include "runtime/cli/ota_layout.h"

#include "common/board/embedded_boards.h"

namespace edgeward::cli {

Result<ota::OtaLayout> ota_layout_of(const ParsedArgs& p, const char* state_key) {
  ota::OtaLayout l;
  auto b = board::resolve_board("");
  if (!b) return std::move(b).error();
  l.state_dir = p.value_or(state_key, b->storage.data_path + "/ota");
  for (const auto& slot : b->storage.slots) l.slot_dirs[slot.name] = slot.path;
  if (auto a = p.value("slot-a")) l.slot_dirs["A"] = *a;
  if (auto bb = p.value("slot-b")) l.slot_dirs["B"] = *bb;
  for (const auto& [name, dir] : l.slot_dirs) {
    if (dir.empty() || dir[0] != '/') return Error::invalid("slot " + name + ": \"" + dir + "\" is not an absolute path");
  }
  return l;
}

}  // namespace edgeward::cli
