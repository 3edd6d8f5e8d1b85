// virtio-net against a fake guest memory (VirtqueueRig) and a SOCK_DGRAM socketpair standing in
// for the TAP (one datagram per frame, like a TAP without IFF_VNET_HDR).
#include "vmm-lite/devices/virtio/net.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "common/unique_fd.h"
#include "tests/vmm-lite/devices/virtio/virtqueue_rig.h"

namespace edgeward::vmm {
namespace {

using test::VirtqueueRig;
using R = VirtqueueRig;
constexpr uint32_t kHdr = VirtioNet::kHeaderBytes;

class Net : public ::testing::Test {
 protected:
  void SetUp() override {
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    vmm_end_ = UniqueFd(sv[0]);
    host_end_ = UniqueFd(sv[1]);
    net_ = std::make_unique<VirtioNet>(vmm_end_.get(), VirtioNet::mac_from("ew0"));
  }
  // A frame as the host's side of the TAP would see it.
  static std::string frame(size_t n, char fill) {
    std::string f(n, fill);
    f.replace(0, 6, "\xff\xff\xff\xff\xff\xff");  // broadcast destination
    return f;
  }
  std::string host_read() {
    char buf[VirtioNet::kMaxFrame + 64];
    const ssize_t n = ::recv(host_end_.get(), buf, sizeof buf, MSG_DONTWAIT);
    return n < 0 ? std::string("<nothing>") : std::string(buf, static_cast<size_t>(n));
  }
  void host_send(const std::string& f) {
    ASSERT_EQ(::send(host_end_.get(), f.data(), f.size(), 0), static_cast<ssize_t>(f.size()));
  }
  void put(uint64_t gpa, const std::string& bytes) {
    ASSERT_TRUE(mem().write(gpa, {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}).ok());
  }
  std::string get(uint64_t gpa, size_t n) {
    std::string s(n, '\0');
    EXPECT_TRUE(mem().read(gpa, {reinterpret_cast<uint8_t*>(s.data()), n}).ok());
    return s;
  }
  GuestMemory& mem() { return rig_.mem; }
  Result<bool> tx() { return net_->process_queue(VirtioNet::kTransmitQueue, rig_.q, rig_.mem); }
  Result<bool> rx() { return net_->process_queue(VirtioNet::kReceiveQueue, rig_.q, rig_.mem); }

  UniqueFd vmm_end_, host_end_;
  std::unique_ptr<VirtioNet> net_;
  VirtqueueRig rig_;
};

TEST_F(Net, OffersOnlyTheMacAndALocallyAdministeredOne) {
  EXPECT_EQ(net_->device_id(), 1u);
  EXPECT_EQ(net_->num_queues(), 2u);
  EXPECT_EQ(net_->features(), uint64_t{1} << 5);  // VIRTIO_NET_F_MAC; no CSUM/GSO/TSO/MRG_RXBUF
  uint8_t mac[8] = {};
  net_->read_config(0, mac);
  EXPECT_EQ(mac[0] & 0x3, 0x2) << "locally administered, unicast";
  const auto expect = VirtioNet::mac_from("ew0");
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(mac[i], expect[i]) << i;
  EXPECT_EQ(mac[6], 0);  // status is not offered: reads as zero
  EXPECT_NE(VirtioNet::mac_from("ew0"), VirtioNet::mac_from("ew1"));
  uint8_t tail = 0xaa;
  net_->read_config(5, {&tail, 1});
  EXPECT_EQ(tail, expect[5]);
}

TEST_F(Net, TransmitWritesTheFrameWithoutTheHeader) {
  const std::string f = frame(100, 'a');
  put(R::kBuffers, std::string(kHdr, '\x7f'));  // whatever the driver puts there is not sent
  put(R::kBuffers + 0x100, f.substr(0, 40));
  put(R::kBuffers + 0x200, f.substr(40));
  rig_.desc(0, R::kBuffers, kHdr, R::kNext, 1);
  rig_.desc(1, R::kBuffers + 0x100, 40, R::kNext, 2);
  rig_.desc(2, R::kBuffers + 0x200, 60, 0);
  rig_.publish(0);
  auto used = tx();
  ASSERT_TRUE(used.ok()) << used.error().message;
  EXPECT_TRUE(*used);
  EXPECT_EQ(host_read(), f);
  EXPECT_EQ(rig_.used_idx(), 1);
  EXPECT_EQ(rig_.used_len(0), 0u);
  EXPECT_EQ(host_read(), "<nothing>");
}

TEST_F(Net, TransmitTakesAHeaderSplitAcrossDescriptorsAndOneBufferFrames) {
  const std::string f = frame(64, 'b');
  put(R::kBuffers, std::string(5, '\0'));
  put(R::kBuffers + 0x100, std::string(kHdr - 5, '\0') + f);
  rig_.desc(0, R::kBuffers, 5, R::kNext, 1);
  rig_.desc(1, R::kBuffers + 0x100, kHdr - 5 + 64, 0);
  rig_.publish(0);
  put(R::kBuffers + 0x1000, std::string(kHdr, '\0') + f);  // second frame: header + data in one
  rig_.desc(3, R::kBuffers + 0x1000, kHdr + 64, 0);
  rig_.publish(3);
  ASSERT_TRUE(tx().ok());
  EXPECT_EQ(host_read(), f);
  EXPECT_EQ(host_read(), f);
  EXPECT_EQ(rig_.used_idx(), 2);
}

TEST_F(Net, ReceiveFillsABufferBehindAZeroedHeader) {
  const std::string f = frame(300, 'c');
  host_send(f);
  put(R::kBuffers, std::string(2048, '\xee'));
  rig_.desc(0, R::kBuffers, 2048, R::kWrite);
  rig_.publish(0);
  net_->host_readable();
  auto used = rx();
  ASSERT_TRUE(used.ok()) << used.error().message;
  EXPECT_TRUE(*used);
  EXPECT_EQ(rig_.used_idx(), 1);
  EXPECT_EQ(rig_.used_len(0), kHdr + 300);
  std::string header(kHdr, '\0');
  header[10] = 1;  // num_buffers = 1; flags, gso_type, hdr_len, gso_size, csum_* all zero
  EXPECT_EQ(get(R::kBuffers, kHdr), header);
  EXPECT_EQ(get(R::kBuffers + kHdr, 300), f);
  EXPECT_EQ(get(R::kBuffers + kHdr + 300, 1), "\xee") << "nothing written past the frame";
  EXPECT_FALSE(net_->rx_stalled()) << "the fd is drained: the host loop polls it again";
}

TEST_F(Net, ReceiveSpreadsAFrameOverChainedBuffers) {
  const std::string f = frame(50, 'd');
  host_send(f);
  rig_.desc(0, R::kBuffers, 8, R::kWrite | R::kNext, 1);  // part of the header only
  rig_.desc(1, R::kBuffers + 0x100, 30, R::kWrite | R::kNext, 2);
  rig_.desc(2, R::kBuffers + 0x200, 100, R::kWrite);
  rig_.publish(0);
  ASSERT_TRUE(rx().ok());
  EXPECT_EQ(rig_.used_len(0), kHdr + 50);
  EXPECT_EQ(get(R::kBuffers + 0x100 + 4, 26) + get(R::kBuffers + 0x200, 24), f);
}

TEST_F(Net, AFrameWaitsForABufferAndTheHostStopsPollingMeanwhile) {
  const std::string f1 = frame(60, 'e'), f2 = frame(70, 'f');
  host_send(f1);
  host_send(f2);
  net_->host_readable();
  auto used = rx();  // no buffer posted
  ASSERT_TRUE(used.ok());
  EXPECT_FALSE(*used);
  EXPECT_TRUE(net_->rx_stalled());
  rig_.desc(0, R::kBuffers, 1600, R::kWrite);
  rig_.publish(0);
  ASSERT_TRUE(rx().ok());  // the driver's notify
  EXPECT_EQ(rig_.used_idx(), 1);
  EXPECT_EQ(get(R::kBuffers + kHdr, 60), f1);
  EXPECT_TRUE(net_->rx_stalled()) << "f2 still waits";
  rig_.desc(1, R::kBuffers + 0x1000, 1600, R::kWrite);
  rig_.publish(1);
  ASSERT_TRUE(rx().ok());
  EXPECT_EQ(get(R::kBuffers + 0x1000 + kHdr, 70), f2);
  EXPECT_FALSE(net_->rx_stalled());
  EXPECT_EQ(net_->rx_dropped(), 0u);
}

TEST_F(Net, AFrameTooBigForTheBufferIsDroppedNotTruncated) {
  host_send(frame(1000, 'g'));
  host_send(frame(20, 'h'));
  put(R::kBuffers, std::string(600, '\xee'));
  rig_.desc(0, R::kBuffers, 600, R::kWrite);
  rig_.publish(0);
  rig_.desc(1, R::kBuffers + 0x1000, 600, R::kWrite);
  rig_.publish(1);
  ASSERT_TRUE(rx().ok());
  EXPECT_EQ(rig_.used_idx(), 2);
  EXPECT_EQ(rig_.used_len(0), 0u);
  EXPECT_EQ(get(R::kBuffers, 600), std::string(600, '\xee')) << "nothing of the dropped frame";
  EXPECT_EQ(rig_.used_len(1), kHdr + 20);
  EXPECT_EQ(get(R::kBuffers + 0x1000 + kHdr, 20), frame(20, 'h'));
  EXPECT_EQ(net_->rx_dropped(), 1u);
}

TEST_F(Net, ResetForgetsAWaitingFrame) {
  host_send(frame(40, 'i'));
  ASSERT_TRUE(rx().ok());
  EXPECT_TRUE(net_->rx_stalled());
  net_->reset();
  EXPECT_FALSE(net_->rx_stalled());
  host_send(frame(41, 'j'));
  rig_.desc(0, R::kBuffers, 1600, R::kWrite);
  rig_.publish(0);
  ASSERT_TRUE(rx().ok());
  EXPECT_EQ(rig_.used_len(0), kHdr + 41);
}

// One hostile descriptor (the head of the chain) and what is wrong with it.
struct HostileDesc {
  const char* what;
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};

// Each case alone, as the only descriptor on a fresh queue: refused, nothing marked used.
template <size_t N>
void expect_each_refused(VirtioNet& net, size_t queue, const HostileDesc (&cases)[N]) {
  for (const HostileDesc& c : cases) {
    VirtqueueRig rig;
    rig.desc(0, c.addr, c.len, c.flags, c.next);
    rig.publish(0);
    auto r = net.process_queue(queue, rig.q, rig.mem);
    EXPECT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(rig.used_idx(), 0) << c.what;
  }
}

// Hostile drivers: each case is an Error (the transport then sets DEVICE_NEEDS_RESET), nothing
// reaches the host fd, and the test process is still alive.
TEST_F(Net, TransmitRefusesHostileChains) {
  const HostileDesc cases[] = {
      {"out of guest memory", 0x200000, 64, 0, 0},
      {"straddles the end of memory", 0x100000 - 8, 64, 0, 0},
      {"device-writable", R::kBuffers, 64, R::kWrite, 0},
      {"shorter than the header", R::kBuffers, kHdr - 1, 0, 0},
      {"longer than any frame", R::kBuffers, kHdr + VirtioNet::kMaxFrame + 1, 0, 0},
      {"loops onto itself", R::kBuffers, 64, R::kNext, 0},
      {"points past the queue", R::kBuffers, 64, R::kNext, R::kSize},
      {"indirect", R::kBuffers, 64, R::kIndirect, 0},
  };
  expect_each_refused(*net_, VirtioNet::kTransmitQueue, cases);
  EXPECT_EQ(host_read(), "<nothing>");
}

TEST_F(Net, TransmitRefusesAFrameMadeTooLongByManyDescriptors) {
  for (uint16_t i = 0; i < R::kSize; ++i) {
    rig_.desc(i, R::kBuffers, 0x4000, i + 1 < R::kSize ? R::kNext : 0, static_cast<uint16_t>(i + 1));
  }
  rig_.publish(0);
  EXPECT_FALSE(tx().ok());  // 8 x 16 KiB > header + 64 KiB
  EXPECT_EQ(host_read(), "<nothing>");
}

TEST_F(Net, ReceiveRefusesHostileChains) {
  const HostileDesc cases[] = {
      {"out of guest memory", 0x200000, 1600, R::kWrite, 0},
      {"readable (wrong direction)", R::kBuffers, 1600, 0, 0},
      {"loops onto itself", R::kBuffers, 1600, R::kWrite | R::kNext, 0},
      {"points past the queue", R::kBuffers, 1600, R::kWrite | R::kNext, 200},
  };
  host_send(frame(64, 'k'));
  expect_each_refused(*net_, VirtioNet::kReceiveQueue, cases);
  // The frame was kept through all of that and reaches the first honest buffer.
  rig_.desc(0, R::kBuffers, 1600, R::kWrite);
  rig_.publish(0);
  ASSERT_TRUE(rx().ok());
  EXPECT_EQ(get(R::kBuffers + kHdr, 64), frame(64, 'k'));
}

}  // namespace
}  // namespace edgeward::vmm
