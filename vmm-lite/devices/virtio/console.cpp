#include "vmm-lite/devices/virtio/console.h"

#include <unistd.h>

#include <vector>

namespace edgeward::vmm {

void VirtioConsole::read_config(uint64_t, std::span<uint8_t> data) {
  // No VIRTIO_CONSOLE_F_SIZE / F_MULTIPORT: the config space carries nothing.
  store_le(data, 0);
}

size_t VirtioConsole::host_input(std::span<const uint8_t> bytes) {
  const size_t room = kMaxPending - std::min(kMaxPending, pending_.size());
  const size_t n = std::min(room, bytes.size());
  pending_.insert(pending_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
  return n;
}

Result<bool> VirtioConsole::transmit(Queue& queue, const GuestMemory& mem) {
  bool used = false;
  for (;;) {
    EW_ASSIGN(auto chain, queue.pop(mem));
    if (!chain) break;
    for (const Segment& s : chain->segments) {
      if (s.device_writable) return Error::invalid("console transmit buffer is device-writable");
      EW_ASSIGN(auto bytes, mem.slice(s.gpa, s.len));
      // Copy first: the guest may change its buffer while the host write runs.
      std::vector<uint8_t> copy(bytes.begin(), bytes.end());
      size_t done = 0;
      while (done < copy.size()) {
        const ssize_t n = ::write(host_fd_, copy.data() + done, copy.size() - done);
        if (n <= 0) break;  // the agent went away: guest output is dropped, the guest runs on
        done += static_cast<size_t>(n);
      }
    }
    EW_TRY(queue.push_used(mem, chain->head, 0));
    used = true;
  }
  return used;
}

Result<bool> VirtioConsole::receive(Queue& queue, const GuestMemory& mem) {
  bool used = false;
  while (!pending_.empty()) {
    EW_ASSIGN(auto chain, queue.pop(mem));
    if (!chain) break;  // no buffer posted yet: the bytes wait
    uint32_t written = 0;
    for (const Segment& s : chain->segments) {
      if (!s.device_writable) return Error::invalid("console receive buffer is not device-writable");
      EW_ASSIGN(auto buf, mem.slice(s.gpa, s.len));
      const size_t n = std::min(buf.size(), pending_.size());
      std::copy(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n), buf.begin());
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
      written += static_cast<uint32_t>(n);
      if (pending_.empty()) break;
    }
    EW_TRY(queue.push_used(mem, chain->head, written));
    used = true;
  }
  return used;
}

Result<bool> VirtioConsole::process_queue(size_t index, Queue& queue, const GuestMemory& mem) {
  if (index == kTransmitQueue) return transmit(queue, mem);
  return receive(queue, mem);
}

}  // namespace edgeward::vmm
