// Per-workload logs: <state>/logs/<name>.log is appended to by the workload's monitor (stdout and
// stderr, O_APPEND); the daemon rotates it by size, keeping `keep` older files <name>.log.1 (newest)
// .. <name>.log.<keep>. Rotation copies the live file to .1 and truncates it in place, because the
// monitor keeps its descriptor across a daemon restart (bytes written between copy and truncate
// can be lost: the window is one copy of at most max_bytes).
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace edgeward::daemon {

struct LogLimits {
  uint64_t max_bytes = 1 << 20;  // rotate when the live file is larger
  unsigned keep = 3;             // rotated files kept
};

// Rotates `path` if it is larger than limits.max_bytes; returns whether it rotated.
Result<bool> rotate_if_needed(const std::string& path, const LogLimits& limits);

// Removes the live file and every rotated file of `path`.
void remove_logs(const std::string& path, unsigned keep);

// Up to `max` bytes of `path` from `offset`; an offset past the end (the file was rotated) restarts
// at 0. Returns the bytes and the offset after them.
struct LogChunk {
  std::string data;
  uint64_t next = 0;
};
Result<LogChunk> read_log(const std::string& path, uint64_t offset, size_t max);

}  // namespace edgeward::daemon
