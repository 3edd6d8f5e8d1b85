#include "vmm-lite/devices/virtio/net.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace edgeward::vmm {
namespace {

constexpr uint64_t kFeatureMac = uint64_t{1} << 5;
constexpr uint32_t kNumBuffersOffset = 10;  // le16 num_buffers in virtio_net_hdr_v1

}  // namespace

VirtioNet::Mac VirtioNet::mac_from(std::string_view seed) {
  uint32_t h = 2166136261u;  // FNV-1a: a stable MAC per TAP name
  for (char c : seed) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  // 0x02: locally administered (bit 1), unicast (bit 0 clear).
  return {0x02, 0x45, 0x57, static_cast<uint8_t>(h >> 16), static_cast<uint8_t>(h >> 8), static_cast<uint8_t>(h)};
}

uint64_t VirtioNet::features() const { return kFeatureMac; }

void VirtioNet::read_config(uint64_t offset, std::span<uint8_t> data) {
  // struct virtio_net_config: mac[6] @0; status, max_virtqueue_pairs, mtu are not offered.
  for (size_t i = 0; i < data.size(); ++i) data[i] = offset + i < mac_.size() ? mac_[offset + i] : 0;
}

void VirtioNet::reset() {
  rx_has_frame_ = false;
  rx_frame_.clear();
  rx_stalled_.store(false, std::memory_order_relaxed);
}

Result<bool> VirtioNet::transmit(Queue& queue, const GuestMemory& mem) {
  bool used = false;
  for (;;) {
    EW_ASSIGN(auto chain, queue.pop(mem));
    if (!chain) break;
    // Header and frame may be split across descriptors anyhow: gather, then skip the header.
    tx_frame_.clear();
    uint64_t total = 0;
    for (const Segment& s : chain->segments) {
      if (s.device_writable) return Error::invalid("net transmit buffer is device-writable");
      total += s.len;
      if (total > kHeaderBytes + kMaxFrame) {
        return Error::invalid("net transmit frame is longer than " + std::to_string(kMaxFrame) + " bytes");
      }
      EW_ASSIGN(auto bytes, mem.slice(s.gpa, s.len));
      // Copied: the guest may change its buffer while the host write runs.
      tx_frame_.insert(tx_frame_.end(), bytes.begin(), bytes.end());
    }
    if (total < kHeaderBytes) return Error::invalid("net transmit buffer is shorter than the 12-byte header");
    // No offloads were offered, so the header asks for nothing: it is dropped.
    const ssize_t n = ::write(fd_, tx_frame_.data() + kHeaderBytes, tx_frame_.size() - kHeaderBytes);
    if (n != static_cast<ssize_t>(tx_frame_.size() - kHeaderBytes)) ++tx_dropped_;  // TAP full/down: like a wire
    EW_TRY(queue.push_used(mem, chain->head, 0));
    used = true;
  }
  return used;
}

bool VirtioNet::fill_rx_frame() {
  if (rx_has_frame_) return true;
  rx_frame_.resize(kMaxFrame);
  const ssize_t n = ::read(fd_, rx_frame_.data(), rx_frame_.size());
  if (n <= 0) return false;  // EAGAIN (drained), or the host side closed
  rx_frame_.resize(static_cast<size_t>(n));
  rx_has_frame_ = true;
  return true;
}

Result<bool> VirtioNet::receive(Queue& queue, const GuestMemory& mem) {
  bool used = false;
  for (;;) {
    if (!fill_rx_frame()) {
      rx_stalled_.store(false, std::memory_order_relaxed);  // the fd is drained: poll it again
      break;
    }
    EW_ASSIGN(auto chain, queue.pop(mem));
    if (!chain) {
      rx_stalled_.store(true, std::memory_order_relaxed);  // the frame waits for a buffer
      break;
    }
    uint64_t room = 0;
    for (const Segment& s : chain->segments) {
      if (!s.device_writable) return Error::invalid("net receive buffer is not device-writable");
      room += s.len;
    }
    const uint64_t need = kHeaderBytes + rx_frame_.size();
    uint32_t written = 0;
    if (room < need) {
      ++rx_dropped_;  // never truncate a frame: drop it and hand the buffer back empty
    } else {
      uint8_t header[kHeaderBytes] = {};
      header[kNumBuffersOffset] = 1;  // no VIRTIO_NET_F_MRG_RXBUF: always one buffer
      size_t pos = 0;                 // position in header + frame
      for (const Segment& s : chain->segments) {
        if (pos == need) break;
        EW_ASSIGN(auto buf, mem.slice(s.gpa, s.len));
        size_t off = 0;
        while (off < buf.size() && pos < need) {
          const bool in_header = pos < kHeaderBytes;
          const uint8_t* src = in_header ? header + pos : rx_frame_.data() + (pos - kHeaderBytes);
          const size_t left = in_header ? kHeaderBytes - pos : need - pos;
          const size_t n = std::min(left, buf.size() - off);
          std::memcpy(buf.data() + off, src, n);
          off += n;
          pos += n;
        }
      }
      written = static_cast<uint32_t>(need);
    }
    rx_has_frame_ = false;
    EW_TRY(queue.push_used(mem, chain->head, written));
    used = true;
  }
  return used;
}

Result<bool> VirtioNet::process_queue(size_t index, Queue& queue, const GuestMemory& mem) {
  if (index == kTransmitQueue) return transmit(queue, mem);
  return receive(queue, mem);
}

}  // namespace edgeward::vmm
