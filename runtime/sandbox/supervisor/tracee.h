// One traced task (thread) as the supervisor sees it: reading strings from its memory, writing
// into its read-only scratch region, and resolving its paths inside its root (task_paths.h).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "common/result.h"
#include "runtime/sandbox/arch/arch.h"
#include "runtime/sandbox/supervisor/task_paths.h"

namespace edgeward::sandbox {

// Scratch region layout, mapped PROT_READ in the tracee: an open_how, then two path slots
// (the open_how and the first path are written with one pwrite), then a byte that stays 0 (the
// empty path, pinned without writing).
constexpr uint64_t kScratchBytes = 3 * 4096;
constexpr uint64_t kScratchHow = 0;
constexpr uint64_t kScratchSlot[2] = {64, 64 + 4096};
constexpr uint64_t kScratchEmpty = kScratchBytes - 1;

class Tracee {
 public:
  explicit Tracee(pid_t tid) : tid_(tid) {}
  Tracee(Tracee&& o) noexcept;
  Tracee& operator=(Tracee&&) = delete;
  Tracee(const Tracee&) = delete;
  ~Tracee();

  pid_t tid() const { return tid_; }
  bool started = false;          // first stop seen
  bool injecting = false;        // an injected mmap is running (syscall-exit stop expected)
  uint64_t scratch = 0;          // the scratch region in this task's address space (0: none yet)
  arch::SyscallRegs saved;       // the interrupted call, while injecting
  uint64_t copy_back_to = 0;     // sendmmsg: the task's own array, to receive msg_len at syscall exit
  uint32_t copy_back_count = 0;  // entries pinned in scratch slot 1 (0: nothing to copy back)

  // Forgets the address space (after execve): scratch and the memory descriptor go.
  void new_address_space();

  // A NUL-terminated string at `addr` (at most kMaxPath bytes); errno-style error on failure.
  Result<std::string> read_string(uint64_t addr);
  // Exactly `len` bytes at `addr` (EFAULT when unreadable).
  Status read(uint64_t addr, void* data, size_t len);
  // Writes into the tracee's memory through /proc/<tid>/mem (which ignores page protection).
  Status write(uint64_t addr, const void* data, size_t len);

  // Canonical path (no symlinks, ".", ".." or "//") of `path` relative to `dirfd` inside the
  // tracee's root; when !follow_last a final symlink is not followed. Errors carry the errno
  // the kernel would give in Error::message as a number (see errno_of()).
  Result<std::string> canonical(int dirfd, const std::string& path, bool follow_last);

 private:
  Result<int> mem_fd();
  Result<int> root_fd();
  pid_t tid_;
  int mem_fd_ = -1;
  int root_fd_ = -1;
  TaskPaths paths_{tid_, -1};
};

}  // namespace edgeward::sandbox
