// Progress rendering (see progress.h).
#include "ota/transport/progress.h"

#include <unistd.h>

#include <cinttypes>
#include <string>

namespace edgeward::ota {

ProgressPrinter::Style ProgressPrinter::pick(FILE* out, bool json) {
  return !json && ::isatty(fileno(out)) ? Style::kBar : Style::kJson;
}

void ProgressPrinter::update(uint64_t done, uint64_t total) {
  if (finished_) return;
  const bool final = total > 0 && done >= total;
  const int percent = total == 0 ? 0 : static_cast<int>(done * 100 / total);
  const auto now = std::chrono::steady_clock::now();
  const bool due = style_ == Style::kJson ? percent != last_percent_ : now - last_ >= std::chrono::milliseconds(100);
  if (!final && !due) return;
  last_ = now;
  last_percent_ = percent;
  finished_ = final;
  if (style_ == Style::kJson) {
    std::fprintf(out_, "{\"event\":\"progress\",\"done\":%" PRIu64 ",\"total\":%" PRIu64 "}\n", done, total);
  } else {
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(kWidth - filled), '.');
    std::fprintf(out_, "\r[%s] %3d%% %.1f / %.1f MiB%s", bar.c_str(), percent, static_cast<double>(done) / 1048576.0,
                 static_cast<double>(total) / 1048576.0, final ? "\n" : "");
  }
  std::fflush(out_);
}

}  // namespace edgeward::ota
