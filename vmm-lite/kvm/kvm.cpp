#include "vmm-lite/kvm/kvm.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <cerrno>
#include <utility>

#include "common/errno_error.h"

namespace edgeward::vmm {

Result<int> kvm_ioctl(int fd, unsigned long request, unsigned long arg, const char* what) {
  int r;
  do {
    r = ::ioctl(fd, request, arg);
  } while (r < 0 && errno == EINTR && request != KVM_RUN);
  if (r < 0) return errno_error(what);
  return r;
}

Result<int> kvm_ioctl(int fd, unsigned long request, const void* arg, const char* what) {
  return kvm_ioctl(fd, request, reinterpret_cast<unsigned long>(arg), what);
}

Result<Kvm> Kvm::open(const char* path) {
  Kvm k;
  k.fd_.reset(::open(path, O_RDWR | O_CLOEXEC));
  if (!k.fd_.valid()) {
    Error e = errno_error(std::string("cannot open ") + path, errno);
#if defined(__aarch64__)
    e.message += " (boot the host kernel at EL2 so KVM initialises and check its permissions; without KVM, workloads run in the "
                 "sandbox: edgeward run --backend sandbox)";
#else
    e.message += " (load kvm-intel or kvm-amd and check its permissions; without KVM, workloads run in the sandbox: "
                 "edgeward run --backend sandbox)";
#endif
    return e;
  }
  EW_ASSIGN(int version, kvm_ioctl(k.fd(), KVM_GET_API_VERSION, 0ul, "KVM_GET_API_VERSION"));
  if (version != KVM_API_VERSION) {
    return Error::unsupported("KVM API version " + std::to_string(version) + " is not the stable version 12");
  }
  EW_ASSIGN(int size, kvm_ioctl(k.fd(), KVM_GET_VCPU_MMAP_SIZE, 0ul, "KVM_GET_VCPU_MMAP_SIZE"));
  k.vcpu_mmap_size_ = static_cast<size_t>(size);
  return k;
}

int Kvm::check_extension(long cap) const {
  const int r = ::ioctl(fd(), KVM_CHECK_EXTENSION, cap);
  return r < 0 ? 0 : r;
}

Result<Vm> Vm::create(const Kvm& kvm, unsigned long type) {
  EW_ASSIGN(int fd, kvm_ioctl(kvm.fd(), KVM_CREATE_VM, type, "KVM_CREATE_VM"));
  Vm vm;
  vm.fd_.reset(fd);
  return vm;
}

Status Vm::set_user_memory(uint32_t slot, uint64_t gpa, uint64_t size, void* host) {
  kvm_userspace_memory_region region{};
  region.slot = slot;
  region.guest_phys_addr = gpa;
  region.memory_size = size;
  region.userspace_addr = reinterpret_cast<uint64_t>(host);
  EW_TRY(kvm_ioctl(fd(), KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION"));
  return {};
}

Status Vm::set_irq_line(uint32_t gsi, bool level) const {
  kvm_irq_level irq{};
  irq.irq = gsi;
  irq.level = level ? 1 : 0;
  EW_TRY(kvm_ioctl(fd(), KVM_IRQ_LINE, &irq, "KVM_IRQ_LINE"));
  return {};
}

Result<Vcpu> Vcpu::create(const Kvm& kvm, const Vm& vm, uint32_t index) {
  EW_ASSIGN(int raw, kvm_ioctl(vm.fd(), KVM_CREATE_VCPU, static_cast<unsigned long>(index), "KVM_CREATE_VCPU"));
  UniqueFd fd(raw);
  void* run = ::mmap(nullptr, kvm.vcpu_mmap_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  if (run == MAP_FAILED) return errno_error("mapping the kvm_run page of vCPU " + std::to_string(index));
  return Vcpu(std::move(fd), static_cast<kvm_run*>(run), kvm.vcpu_mmap_size(), index);
}

Vcpu::Vcpu(Vcpu&& o) noexcept
    : fd_(std::move(o.fd_)),
      run_(std::exchange(o.run_, nullptr)),
      run_size_(std::exchange(o.run_size_, 0)),
      index_(o.index_) {}

Vcpu::~Vcpu() {
  if (run_) ::munmap(run_, run_size_);
}

Result<VcpuExit> Vcpu::run() {
  VcpuExit e;
  if (::ioctl(fd(), KVM_RUN, 0) < 0) {
    if (errno == EINTR || errno == EAGAIN) {
      run_->immediate_exit = 0;
      e.kind = VcpuExit::Kind::kIntr;
      return e;
    }
#if defined(__aarch64__)
    if (errno == ENOSYS) {  // KVM/ARM: a data abort outside RAM without a valid syndrome
      return Error::invalid("vCPU " + std::to_string(index_) +
                            ": the guest accessed MMIO with an instruction KVM cannot decode (no valid syndrome, "
                            "e.g. a load/store pair); the guest kernel is broken or hostile");
    }
#endif
    return errno_error("KVM_RUN on vCPU " + std::to_string(index_));
  }
  e.reason = run_->exit_reason;
  auto* page = reinterpret_cast<uint8_t*>(run_);
  switch (run_->exit_reason) {
    case KVM_EXIT_IO: {
      // The data lives inside the kvm_run mapping at data_offset; KVM guarantees it fits, but
      // we check rather than trust.
      const uint64_t len = uint64_t{run_->io.size} * run_->io.count;
      if (run_->io.data_offset > run_size_ || len > run_size_ - run_->io.data_offset) {
        return Error::internal("KVM reported port I/O data outside the kvm_run page");
      }
      e.kind = VcpuExit::Kind::kIo;
      e.addr = run_->io.port;
      e.is_write = run_->io.direction == KVM_EXIT_IO_OUT;
      e.data = {page + run_->io.data_offset, static_cast<size_t>(len)};
      e.access_size = run_->io.size;
      break;
    }
    case KVM_EXIT_MMIO:
      e.kind = VcpuExit::Kind::kMmio;
      e.addr = run_->mmio.phys_addr;
      e.is_write = run_->mmio.is_write != 0;
      e.data = {run_->mmio.data, std::min<size_t>(run_->mmio.len, sizeof run_->mmio.data)};
      e.access_size = e.data.size();
      break;
    case KVM_EXIT_HLT: e.kind = VcpuExit::Kind::kHlt; break;
    case KVM_EXIT_SHUTDOWN: e.kind = VcpuExit::Kind::kShutdown; break;
    case KVM_EXIT_SYSTEM_EVENT:
      e.kind = VcpuExit::Kind::kSystemEvent;
      e.detail = run_->system_event.type;
      break;
    case KVM_EXIT_FAIL_ENTRY:
      e.kind = VcpuExit::Kind::kFailEntry;
      e.detail = run_->fail_entry.hardware_entry_failure_reason;
      break;
    case KVM_EXIT_INTERNAL_ERROR:
      e.kind = VcpuExit::Kind::kInternalError;
      e.detail = run_->internal.suberror;
      break;
    case KVM_EXIT_INTR: e.kind = VcpuExit::Kind::kIntr; break;
    default: e.kind = VcpuExit::Kind::kOther; break;
  }
  return e;
}

}  // namespace edgeward::vmm
