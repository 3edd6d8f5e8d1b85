// Download progress: the callback type the Downloader calls, and a renderer that draws a bar
// on a terminal or writes one JSON event per line otherwise
// ({"event":"progress","done":N,"total":M}, for `edgeward ota download --json`).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>

namespace edgeward::ota {

using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

class ProgressPrinter {
 public:
  enum class Style { kBar, kJson };
  // kBar when `out` is a terminal and json is false, else kJson.
  static Style pick(FILE* out, bool json);
  ProgressPrinter(FILE* out, Style style) : out_(out), style_(style) {}
  // Prints at most every 100 ms or each whole percent for JSON, always the final update.
  void update(uint64_t done, uint64_t total);
  ProgressFn callback() {
    return [this](uint64_t d, uint64_t t) { update(d, t); };
  }

 private:
  FILE* out_;
  Style style_;
  std::chrono::steady_clock::time_point last_{};
  int last_percent_ = -1;
  bool finished_ = false;
};

}  // namespace edgeward::ota
