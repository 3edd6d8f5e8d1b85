// Who the workload runs as (OCI process.user) and how the sandbox's user namespace maps ids.
//
// edgeward never maps a workload to host root. Two kinds of mapping (IdMaps):
//   caller-as-root (an unprivileged caller; the only one it can write): one uid and one gid, 0
//     inside = the caller's ids outside; setgroups denied. The workload is 0:0.
//   host range (edgeward runs as root): container ids 0..size-1 map to an unprivileged host range
//     of their own, leased from the board's pool (id_range.h), or the OCI config's
//     linux.uidMappings/gidMappings (validated: no entry may reach host id 0). setgroups is
//     allowed; the workload's uid/gid/additional gids are set in the jail (setgroups + setresgid
//     + setresuid, after securebits lock NOROOT / NO_SETUID_FIXUP and before every capability is
//     dropped), so the sandbox's init and the workload run as that user with no capability.
//     Host-root-owned files are then "other" to every process of the sandbox, whatever
//     capability it holds inside its namespace.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace edgeward::sandbox {

// One line of a uid_map / gid_map: ids inside..inside+size-1 are host..host+size-1.
struct IdMapping {
  uint32_t inside = 0, host = 0, size = 0;
  bool operator==(const IdMapping&) const = default;
};

// The kernel's limit of lines in one uid_map / gid_map.
inline constexpr size_t kMaxIdMappings = 340;

struct Identity {
  uint32_t uid = 0, gid = 0;
  std::vector<uint32_t> additional_gids;
  // Root only: the OCI config's linux.uidMappings / gidMappings. Empty: a range from the pool.
  std::vector<IdMapping> uid_mappings, gid_mappings;
};

// The mapping of one run, resolved (identity.h's header comment).
struct IdMaps {
  std::vector<IdMapping> uid, gid;
  bool privileged = false;  // written by root: setgroups allowed, the jail switches ids

  std::optional<uint32_t> host_uid(uint32_t inside) const;
  std::optional<uint32_t> host_gid(uint32_t inside) const;
  std::optional<uint32_t> inside_uid(uint32_t host) const;
  std::optional<uint32_t> inside_gid(uint32_t host) const;
};

// Checks one list of mappings (what: "linux.uidMappings"): 1..kMaxIdMappings entries, sizes > 0,
// no overflow past 2^32-1, no overlap inside or outside, and no host range holding id 0.
edgeward::Status validate_mappings(const std::vector<IdMapping>& maps, std::string_view what);

// Checks an identity against the caller: explicit mappings need root and are validated; an
// unprivileged caller runs as 0:0 without additional groups. Errors say what to change.
edgeward::Status check_identity(const Identity& id);

// Unprivileged: 0 inside = the caller's euid/egid, setgroups denied.
IdMaps caller_maps();
// Root: inside 0..size-1 = host base..base+size-1, uid and gid alike.
IdMaps range_maps(uint32_t host_base, uint32_t size);
// Root: the identity's explicit mappings (check_identity first).
IdMaps explicit_maps(const Identity& id);
// The maps of a running sandbox's process (for entering it), read from /proc/<pid>/{uid,gid}_map.
Result<IdMaps> read_id_maps(pid_t pid);

// The workload's uid, gid and every additional gid must be mapped: an error names the one that
// is not and the range that is.
edgeward::Status check_mapped(const Identity& id, const IdMaps& maps);

// Writes setgroups/uid_map/gid_map of the sandbox's first process `pid`.
edgeward::Status write_id_maps(pid_t pid, const IdMaps& maps);

// The host uid/gid/groups that `id`'s are (for ownership of what the workload must open before it
// runs, e.g. the exec FIFO, and the supervisor's file-system ids); check_mapped first.
uid_t host_uid(const Identity& id, const IdMaps& maps);
gid_t host_gid(const Identity& id, const IdMaps& maps);
std::vector<gid_t> host_groups(const Identity& id, const IdMaps& maps);

// In the jail, with CAP_SETUID/CAP_SETGID still held: become id.uid/id.gid with
// id.additional_gids (privileged maps only; a no-op otherwise). Returns false with errno set.
bool switch_identity(const Identity& id, const IdMaps& maps);

}  // namespace edgeward::sandbox
