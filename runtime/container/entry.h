// One container's directory under the root: its files and the small file operations the core
// needs (crash-safe writes, a per-entry lock, removal). No JSON here (spec_json.h).
//
//   <root>/<id>/spec.json    what to run (written once by create, read by the monitor)
//   <root>/<id>/state.json   status, pids, times (rewritten atomically)
//   <root>/<id>/exit.json    the monitor's record of how the workload ended (temp + rename)
//   <root>/<id>/exec.fifo    present while created: `start` opens it, the workload execs
//   <root>/<id>/paused       present while paused (`pause`: the cgroup is frozen)
//   <root>/<id>/freezer      the v1 freezer group the first pause made (removed with the entry)
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward::runtime {

// Container ids: [A-Za-z0-9][A-Za-z0-9_.+-]{0,127} (a path component, never "." or "..").
edgeward::Status validate_id(std::string_view id);

struct EntryPaths {
  std::string dir, spec, state, exit, fifo, paused, freezer;
  EntryPaths(const std::string& root, std::string_view id);
};

Result<std::string> read_text(const std::string& path);
// Writes `text` to path.tmp, fsyncs, renames over path: readers see the old or the new file.
edgeward::Status write_atomic(const std::string& path, std::string_view text);
// Removes a directory and the files in it (entries hold no subdirectories).
edgeward::Status remove_entry_dir(const std::string& dir);

// An exclusive flock on an entry directory, held for the lifetime of the object.
class EntryLock {
 public:
  static Result<EntryLock> take(const std::string& dir);
 private:
  explicit EntryLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace edgeward::runtime
