#include "vmm-lite/devices/serial.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace edgeward::vmm {
namespace {

struct SerialRig {
  std::string out;
  std::vector<bool> irq;
  Serial uart{[this](bool l) { irq.push_back(l); },
              [this](std::span<const uint8_t> b) { out.append(b.begin(), b.end()); }};
  uint8_t rd(uint64_t off) {
    uint8_t v = 0;
    uart.read(off, {&v, 1});
    return v;
  }
  void wr(uint64_t off, uint8_t v) { uart.write(off, {&v, 1}); }
};

TEST(Serial, TransmitsToTheConsole) {
  SerialRig s;
  for (char c : std::string("hi\n")) s.wr(0, static_cast<uint8_t>(c));
  EXPECT_EQ(s.out, "hi\n");
  EXPECT_EQ(s.rd(5) & 0x60, 0x60) << "THR empty and transmitter empty";
}

TEST(Serial, ThrEmptyInterruptRaisesAndClearsOnIirRead) {
  SerialRig s;
  s.wr(1, 0x02);  // IER: THR empty
  ASSERT_FALSE(s.irq.empty());
  EXPECT_TRUE(s.irq.back());
  EXPECT_EQ(s.rd(2) & 0x0f, 0x02);
  EXPECT_FALSE(s.irq.back()) << "reading IIR acknowledges the THR-empty interrupt";
  EXPECT_EQ(s.rd(2) & 0x0f, 0x01) << "no interrupt pending";
}

TEST(Serial, InputRaisesReceiveInterruptAndIsReadInOrder) {
  SerialRig s;
  s.wr(1, 0x01);  // IER: data available
  const uint8_t in[] = {'o', 'k'};
  s.uart.enqueue_input(in);
  EXPECT_TRUE(s.irq.back());
  EXPECT_EQ(s.rd(5) & 1, 1);
  EXPECT_EQ(s.rd(0), 'o');
  EXPECT_EQ(s.rd(0), 'k');
  EXPECT_EQ(s.rd(5) & 1, 0);
  EXPECT_FALSE(s.irq.back());
}

TEST(Serial, InputIsBounded) {
  SerialRig s;
  std::vector<uint8_t> flood(Serial::kRxLimit * 2, 'x');
  s.uart.enqueue_input(flood);
  size_t n = 0;
  while (s.rd(5) & 1) {
    s.rd(0);
    ++n;
  }
  EXPECT_EQ(n, Serial::kRxLimit);
}

TEST(Serial, DivisorLatchAndLoopback) {
  SerialRig s;
  s.wr(3, 0x80);  // DLAB
  s.wr(0, 0x01);
  s.wr(1, 0x00);
  EXPECT_EQ(s.rd(0), 0x01);
  s.wr(3, 0x03);
  s.wr(4, 0x10);  // loopback: transmitted bytes come back as input
  s.wr(0, 'L');
  EXPECT_EQ(s.out, "");
  EXPECT_EQ(s.rd(0), 'L');
}

}  // namespace
}  // namespace edgeward::vmm
