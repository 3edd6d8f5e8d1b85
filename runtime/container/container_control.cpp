// ContainerRoot's runc-style controls of a running container through its cgroups: pause,
// resume, processes (ps), stats (events) and update. The groups are found from the workload's
// first process (container_cgroups.h); the entry's lock keeps pause and resume apart.
#include <fcntl.h>
#include <unistd.h>

#include "common/errno_error.h"
#include "common/unique_fd.h"
#include "runtime/container/container.h"
#include "runtime/container/entry.h"

namespace edgeward::runtime {
namespace {

std::string named(std::string_view id) { return "container \"" + std::string(id) + "\""; }

// The groups of a container that has a live workload (created, running or paused).
Result<ContainerCgroups> live_groups(ContainerRoot& root, std::string_view id, const char* what) {
  EW_ASSIGN(ContainerState st, root.state(id));
  if (st.status == Status::kStopped || st.status == Status::kCreating || st.workload_pid <= 0) {
    return Error::invalid("cannot " + std::string(what) + " " + named(id) + ": it is " +
                          std::string(status_name(st.status)) + ", not running");
  }
  auto groups = ContainerCgroups::of(st.workload_pid);
  if (!groups) return std::move(groups).error().context(std::string(what) + " " + named(id));
  return groups;
}

}  // namespace

edgeward::Status ContainerRoot::pause(std::string_view id) {
  EW_TRY(validate_id(id));
  const EntryPaths paths(dir_, id);
  EW_ASSIGN(ContainerState st, state(id));  // unknown id first, before taking a lock
  EW_ASSIGN(EntryLock lock, EntryLock::take(paths.dir));
  EW_ASSIGN(st, state(id));
  if (st.status != Status::kRunning) {
    return Error::invalid("cannot pause " + named(id) + ": it is " + std::string(status_name(st.status)) +
                          "; only a running container can be paused");
  }
  EW_ASSIGN(ContainerCgroups groups, live_groups(*this, id, "pause"));
  if (!groups.freezer_dir().empty()) EW_TRY(write_atomic(paths.freezer, groups.freezer_dir()));
  UniqueFd marker(::open(paths.paused.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  if (!marker.valid()) return errno_error("create " + paths.paused);
  if (auto frozen = groups.freeze(true); !frozen) {
    (void)groups.freeze(false);  // nothing half-done: thawed and not marked paused
    unlink(paths.paused.c_str());
    return std::move(frozen).error().context("pause " + named(id));
  }
  return {};
}

edgeward::Status ContainerRoot::resume(std::string_view id) {
  EW_TRY(validate_id(id));
  const EntryPaths paths(dir_, id);
  EW_ASSIGN(ContainerState st, state(id));
  EW_ASSIGN(EntryLock lock, EntryLock::take(paths.dir));
  EW_ASSIGN(st, state(id));
  if (st.status != Status::kPaused) {
    return Error::invalid("cannot resume " + named(id) + ": it is " + std::string(status_name(st.status)) +
                          ", not paused");
  }
  EW_ASSIGN(ContainerCgroups groups, live_groups(*this, id, "resume"));
  if (auto thawed = groups.freeze(false); !thawed) return std::move(thawed).error().context("resume " + named(id));
  if (unlink(paths.paused.c_str()) != 0) return errno_error("remove " + paths.paused);
  return {};
}

Result<std::vector<pid_t>> ContainerRoot::processes(std::string_view id) {
  EW_ASSIGN(ContainerCgroups groups, live_groups(*this, id, "list the processes of"));
  return groups.pids();
}

Result<CgroupStats> ContainerRoot::stats(std::string_view id) {
  EW_ASSIGN(ContainerCgroups groups, live_groups(*this, id, "read the stats of"));
  return groups.stats();
}

edgeward::Status ContainerRoot::update(std::string_view id, const ResourceUpdate& u) {
  EW_ASSIGN(ContainerCgroups groups, live_groups(*this, id, "update"));
  if (auto done = groups.update(u); !done) return std::move(done).error().context("update " + named(id));
  return {};
}

}  // namespace edgeward::runtime
