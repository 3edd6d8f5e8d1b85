// The power-cut harness's FileOps: counts every create, write, fsync, rename, directory fsync and
// unlink of an install, and at the N-th one (before doing it) ends the process with SIGKILL — in
// kDropUnsynced mode after first undoing what a power cut may lose: file contents written since
// their last fsync, and names created, renamed or removed since their directory's last fsync
// (the pessimistic outcome of each; kKill leaves every completed call in place, the other).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ota/file_ops.h"

namespace edgeward::ota::testing {

enum class Crash { kKill, kDropUnsynced };

inline std::optional<std::string> read_if_exists(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void put(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class CrashOps : public FileOps {
 public:
  // crash_at 0: never crash, only count.
  CrashOps(int crash_at, Crash mode) : crash_at_(crash_at), mode_(mode) {}
  int points() const { return points_; }

  Result<UniqueFd> create(const std::string& path, unsigned mode) override {
    point();
    const auto old = read_if_exists(path);
    if (old) {
      log_content(path, *old);
    } else {
      log_.push_back({Undo::kCreated, path, "", std::nullopt, std::nullopt});
    }
    return FileOps::create(path, mode);
  }
  Status write(int fd, std::span<const uint8_t> data, const std::string& path) override {
    point();
    // By the path the caller names (every caller names the file it writes), so a file opened
    // without create() — the chunk assembler's resumable .part — is undone too.
    if (!logged_.count(path)) log_content(path, read_if_exists(path).value_or(""));
    return FileOps::write(fd, data, path);
  }
  Status fsync(int fd, const std::string& path) override {
    point();
    std::erase_if(log_, [&](const Undo& u) { return u.kind == Undo::kContent && u.path == path; });
    logged_.erase(path);
    return FileOps::fsync(fd, path);
  }
  Status rename(const std::string& from, const std::string& to) override {
    point();
    // Unsynced content moves with the file: undone with the rename, at the old name.
    std::optional<std::string> moved;
    for (auto u = log_.begin(); u != log_.end(); ++u) {
      if (u->kind == Undo::kContent && u->path == from) {
        moved = u->old;
        log_.erase(u);
        break;
      }
    }
    logged_.erase(from);
    log_.push_back({Undo::kRenamed, from, to, read_if_exists(to), moved});
    return FileOps::rename(from, to);
  }
  Status fsync_dir(const std::string& dir) override {
    point();
    // The names in `dir` are durable now; a renamed file's unsynced content is still not.
    for (auto& u : log_) {
      if (u.kind == Undo::kRenamed && parent_dir(u.to) == dir && u.moved_old) {
        u = {Undo::kContent, u.to, "", u.moved_old, std::nullopt};
        logged_.insert(u.path);
      }
    }
    std::erase_if(log_, [&](const Undo& u) {
      return u.kind != Undo::kContent && parent_dir(u.kind == Undo::kRenamed ? u.to : u.path) == dir;
    });
    return FileOps::fsync_dir(dir);
  }
  Status unlink(const std::string& path) override {
    point();
    if (auto old = read_if_exists(path)) log_.push_back({Undo::kUnlinked, path, "", old, std::nullopt});
    return FileOps::unlink(path);
  }

 private:
  struct Undo {
    enum Kind { kCreated, kContent, kRenamed, kUnlinked } kind;
    std::string path, to;
    std::optional<std::string> old;  // content before (kContent, kUnlinked) / of the rename's target
    std::optional<std::string> moved_old = std::nullopt;  // kRenamed: the durable content of the renamed file
  };
  void log_content(const std::string& path, std::string old) {
    log_.push_back({Undo::kContent, path, "", std::move(old), std::nullopt});
    logged_.insert(path);
  }
  void point() {
    if (++points_ != crash_at_) return;
    if (mode_ == Crash::kDropUnsynced) {
      for (auto u = log_.rbegin(); u != log_.rend(); ++u) {
        switch (u->kind) {
          case Undo::kCreated: ::unlink(u->path.c_str()); break;
          case Undo::kContent: put(u->path, *u->old); break;
          case Undo::kUnlinked: put(u->path, *u->old); break;
          case Undo::kRenamed:
            ::rename(u->to.c_str(), u->path.c_str());
            if (u->moved_old) put(u->path, *u->moved_old);
            if (u->old) put(u->to, *u->old);
            break;
        }
      }
    }
    ::kill(::getpid(), SIGKILL);
    ::pause();
  }

  int crash_at_;
  Crash mode_;
  int points_ = 0;
  std::set<std::string> logged_;  // paths with a content entry since their last fsync
  std::vector<Undo> log_;
};

}  // namespace edgeward::ota::testing
