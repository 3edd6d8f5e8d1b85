#include "vmm-lite/devices/serial.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace edgeward::vmm {
namespace {

struct SerialRig {
  std::string out;
  int edges = 0;  // rising edges on the interrupt line (each pulse is high then low)
  bool level = false;
  Serial uart{[this](bool l) {
                edges += (l && !level) ? 1 : 0;
                level = l;
              },
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

TEST(Serial, ThrEmptyInterruptPulsesAndClearsOnIirRead) {
  SerialRig s;
  s.wr(1, 0x02);  // IER: THR empty
  EXPECT_EQ(s.edges, 1);
  EXPECT_FALSE(s.level) << "ISA interrupts are edges: the line does not stay high";
  EXPECT_EQ(s.rd(2) & 0x0f, 0x02);
  EXPECT_EQ(s.rd(2) & 0x0f, 0x01) << "reading IIR acknowledged the THR-empty interrupt";
  s.wr(0, 'x');
  EXPECT_EQ(s.edges, 2) << "every transmitted byte raises a new edge, even before acknowledgement";
  s.wr(0, 'y');
  EXPECT_EQ(s.edges, 3);
  s.wr(1, 0x00);
  s.wr(0, 'z');
  EXPECT_EQ(s.edges, 3) << "no interrupt with IER clear";
}

TEST(Serial, InputRaisesReceiveInterruptAndIsReadInOrder) {
  SerialRig s;
  const uint8_t in[] = {'o', 'k'};
  s.uart.enqueue_input(in);
  EXPECT_EQ(s.edges, 0) << "receive interrupt disabled";
  s.wr(1, 0x01);  // IER: data available
  EXPECT_EQ(s.edges, 1);
  EXPECT_EQ(s.rd(2) & 0x0f, 0x04);
  EXPECT_EQ(s.rd(5) & 1, 1);
  EXPECT_EQ(s.rd(0), 'o');
  EXPECT_EQ(s.rd(0), 'k');
  EXPECT_EQ(s.rd(5) & 1, 0);
  EXPECT_EQ(s.rd(2) & 0x0f, 0x01);
  s.uart.enqueue_input(in);
  EXPECT_EQ(s.edges, 2);
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
