// Per-workload host id ranges: when edgeward runs as root, each sandbox's ids 0..size-1 map to a
// host range of its own (identity.h), leased from a pool (the board's <userns>, board.h).
//
// The pool is `ranges` consecutive ranges of `size` ids from `base`. The default, base
// 1879048192 (0x70000000) with 1024 ranges of 65536, lies above the ranges that useradd hands
// out in /etc/subuid (100000 up to 600100000) and systemd-nspawn's container ranges (524288 up to
// 1879048191), below systemd's foreign range (2147352576) and below 2^31 (ids read as negative
// by signed code).
//
// A lease is an exclusive flock(2) on <lock_dir>/<host base>.lock, held (close-on-exec) by the
// process that supervises the workload and released with it: at its end, or by the kernel when
// that process dies, so a crash leaks nothing. Lock files are never removed (removing one races
// with a process that has opened but not yet locked it); there are at most `ranges` of them.
// A range that no lock holds is still skipped while any process on the host has a user namespace
// mapping into it (every /proc/<pid>/uid_map and gid_map is read): a workload that outlived its
// supervisor, or another runtime's namespace, never gets a second tenant.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward::sandbox {

struct IdPool {
  uint32_t base = 1879048192;  // 0x70000000
  uint32_t ranges = 1024;
  uint32_t size = 65536;
  std::string lock_dir = "/run/edgeward/id-ranges";
};

// base > 0, ranges and size > 0, and the whole pool below 2^32 - 1. Errors say what to change.
edgeward::Status validate_pool(const IdPool& pool);

// Host id ranges [first, first + count) that user namespaces on this host map to, from every
// /proc/<pid>/uid_map and gid_map (a mapping of the whole id space, the initial namespace's own,
// is left out).
std::vector<std::pair<uint64_t, uint64_t>> host_ranges_in_use();

class IdRangeLease {
 public:
  // Leases a free range of the pool; `in_use` is host_ranges_in_use() (given for tests).
  static Result<IdRangeLease> acquire(const IdPool& pool, const std::vector<std::pair<uint64_t, uint64_t>>& in_use);
  static Result<IdRangeLease> acquire(const IdPool& pool) { return acquire(pool, host_ranges_in_use()); }

  uint32_t base() const { return base_; }
  uint32_t size() const { return size_; }

 private:
  IdRangeLease(UniqueFd lock, uint32_t base, uint32_t size) : lock_(std::move(lock)), base_(base), size_(size) {}
  UniqueFd lock_;
  uint32_t base_ = 0, size_ = 0;
};

}  // namespace edgeward::sandbox
