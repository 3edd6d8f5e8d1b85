// Whole-file reads and writes of small texts (/proc, cgroup and policy files), without
// iostreams.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace edgeward::text {

// The file's bytes, at most `max_bytes` of them (a longer file is cut there, so a caller that
// must refuse it asks for one byte more than its limit); nullopt when it cannot be opened or read,
// with errno telling why.
std::optional<std::string> read_file(const std::string& path, size_t max_bytes);

// Writes `text` to `path` (created 0666 & ~umask, truncated) in one write(2), as /proc's id maps
// require; false when it cannot be opened or not all of it was written.
bool write_file(const std::string& path, std::string_view text);

}  // namespace edgeward::text
