// Fuzzes the virtqueue parser and the virtio-blk request path with guest memory the fuzzer
// controls: any descriptor table, ring and request must give chains or Errors, never a crash
// or an access outside guest memory (ASan watches the host side).
#include <unistd.h>

#include <cstring>

#include "vmm-lite/devices/virtio/blk.h"
#include "vmm-lite/devices/virtio/queue.h"
#include "vmm-lite/memory/guest_memory.h"

namespace {

using edgeward::vmm::GuestMemory;

constexpr uint64_t kRam = 64 * 1024;

std::unique_ptr<edgeward::vmm::VirtioBlk> make_disk() {
  char path[] = "/tmp/ew-fuzz-disk-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) __builtin_trap();
  if (::ftruncate(fd, 16 * 512) != 0) __builtin_trap();
  ::close(fd);
  auto blk = edgeward::vmm::VirtioBlk::open(path, false);
  ::unlink(path);
  if (!blk.ok()) __builtin_trap();
  return std::move(blk).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static GuestMemory mem = std::move(GuestMemory::create({{0, kRam}})).value();
  static auto disk = make_disk();
  // The input is guest RAM: rings at fixed places, everything else as the fuzzer wrote it.
  auto ram = mem.slice(0, kRam).value();
  std::memset(ram.data(), 0, ram.size());
  std::memcpy(ram.data(), data, std::min<size_t>(size, kRam));

  edgeward::vmm::Queue q;
  q.size = 16;
  q.desc_gpa = 0x0;
  q.avail_gpa = 0x100;
  q.used_gpa = 0x200;
  q.ready = true;
  if (!q.validate(mem).ok()) return 0;
  (void)disk->process_queue(0, q, mem);
  return 0;
}
