#include "common/board/board.h"

namespace edgeward::board {

std::string_view arch_name(Arch a) {
  switch (a) {
    case Arch::kX86_64: return "x86_64";
    case Arch::kAarch64: return "aarch64";
  }
  return "unknown";
}

std::string_view arch_k8s_name(Arch a) {
  switch (a) {
    case Arch::kX86_64: return "amd64";
    case Arch::kAarch64: return "arm64";
  }
  return "unknown";
}

const std::string* Board::label(std::string_view key) const {
  for (const auto& [k, v] : labels) {
    if (k == key) return &v;
  }
  return nullptr;
}

}  // namespace edgeward::board
