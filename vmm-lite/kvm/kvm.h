// Thin RAII wrappers over the KVM API (Documentation/virt/kvm/api.rst): the system fd, a VM,
// a vCPU with its shared kvm_run page. Arch-neutral; arch code adds registers and irqchips.
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward::vmm {

// ioctl that reports failures as "what: strerror".
Result<int> kvm_ioctl(int fd, unsigned long request, const void* arg, const char* what);
Result<int> kvm_ioctl(int fd, unsigned long request, unsigned long arg, const char* what);

class Kvm {
 public:
  // Opens /dev/kvm and checks the API version; the error says what to do when KVM is absent.
  static Result<Kvm> open(const char* path = "/dev/kvm");
  int fd() const { return fd_.get(); }
  int check_extension(long cap) const;
  size_t vcpu_mmap_size() const { return vcpu_mmap_size_; }

 private:
  UniqueFd fd_;
  size_t vcpu_mmap_size_ = 0;
};

class Vm {
 public:
  // `type` is the KVM_CREATE_VM machine type (arm64: the IPA size).
  static Result<Vm> create(const Kvm& kvm, unsigned long type = 0);
  int fd() const { return fd_.get(); }
  Status set_user_memory(uint32_t slot, uint64_t gpa, uint64_t size, void* host);
  // Drives an interrupt line of the in-kernel irqchip.
  Status set_irq_line(uint32_t gsi, bool level) const;

 private:
  UniqueFd fd_;
};

// What a vCPU stopped for; pointers refer into the vCPU's kvm_run page and are valid until the
// next run().
struct VcpuExit {
  enum class Kind { kIo, kMmio, kHlt, kShutdown, kSystemEvent, kFailEntry, kInternalError, kIntr, kOther };
  Kind kind = Kind::kOther;
  uint64_t addr = 0;         // port or guest physical address
  bool is_write = false;
  std::span<uint8_t> data;   // bytes written by, or to return to, the guest
  size_t access_size = 0;    // bytes per access (port I/O may repeat it `data.size()/access_size` times)
  uint32_t reason = 0;       // raw exit_reason, for messages
  uint64_t detail = 0;       // system event type, entry failure reason, internal error suberror
};

class Vcpu {
 public:
  static Result<Vcpu> create(const Kvm& kvm, const Vm& vm, uint32_t index);
  Vcpu(Vcpu&& o) noexcept;
  Vcpu& operator=(Vcpu&&) = delete;
  Vcpu(const Vcpu&) = delete;
  ~Vcpu();

  int fd() const { return fd_.get(); }
  uint32_t index() const { return index_; }
  // Runs until the next exit to userspace.
  Result<VcpuExit> run();
  // Makes a KVM_RUN in progress return (-EINTR) soon; safe from another thread.
  void request_exit() { run_->immediate_exit = 1; }

 private:
  Vcpu(UniqueFd fd, kvm_run* run, size_t run_size, uint32_t index)
      : fd_(std::move(fd)), run_(run), run_size_(run_size), index_(index) {}
  UniqueFd fd_;
  kvm_run* run_ = nullptr;
  size_t run_size_ = 0;
  uint32_t index_ = 0;
};

}  // namespace edgeward::vmm
