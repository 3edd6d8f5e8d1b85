// Fuzzes virtio-net's transmit and receive paths with guest memory the fuzzer controls (a
// transmit queue and a receive queue at fixed places, descriptors and buffers as written) and a
// host frame waiting on a socketpair standing in for the TAP: every input must give used
// buffers or Errors, never a crash or an access outside guest memory (ASan watches).
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "vmm-lite/devices/virtio/net.h"
#include "vmm-lite/memory/guest_memory.h"

namespace {

using edgeward::vmm::GuestMemory;
using edgeward::vmm::Queue;
using edgeward::vmm::VirtioNet;

constexpr uint64_t kRam = 64 * 1024;

Queue queue_at(uint64_t base) {
  Queue q;
  q.size = 16;
  q.desc_gpa = base;
  q.avail_gpa = base + 0x100;
  q.used_gpa = base + 0x200;
  q.ready = true;
  return q;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static GuestMemory mem = std::move(GuestMemory::create({{0, kRam}})).value();
  static int fds[2] = {-1, -1};
  if (fds[0] < 0 && ::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, fds) != 0) __builtin_trap();
  auto ram = mem.slice(0, kRam).value();
  std::memset(ram.data(), 0, ram.size());
  std::memcpy(ram.data(), data, std::min<size_t>(size, kRam));

  VirtioNet net(fds[0], VirtioNet::mac_from("fuzz"));
  // The host frame: the input's first byte says how long (up to 1020 bytes), the input's tail
  // gives its bytes, so frames that fit and frames that do not both come up.
  const size_t frame_len = size ? 4 * size_t{data[0]} : 60;
  std::vector<uint8_t> frame(frame_len, 0xab);
  (void)::send(fds[1], frame.data(), frame.size(), 0);

  Queue tx = queue_at(0x0);   // rings at 0x000..0x2ff
  Queue rx = queue_at(0x400); // rings at 0x400..0x6ff
  if (tx.validate(mem).ok()) (void)net.process_queue(VirtioNet::kTransmitQueue, tx, mem);
  net.host_readable();
  if (rx.validate(mem).ok()) (void)net.process_queue(VirtioNet::kReceiveQueue, rx, mem);

  // Leave both ends empty for the next input.
  uint8_t sink[VirtioNet::kMaxFrame];
  while (::recv(fds[1], sink, sizeof sink, MSG_DONTWAIT) > 0) {
  }
  while (::recv(fds[0], sink, sizeof sink, MSG_DONTWAIT) > 0) {
  }
  return 0;
}
