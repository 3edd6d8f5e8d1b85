#include "vmm-lite/devices/serial.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/vmm-lite/devices/description_recorder.h"

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

// Its description follows where the platform put it: the window, the line and the instance all
// come from the placement (arm64: MMIO and an SPI; x86_64: ports and an IOAPIC pin).
TEST(Serial, DescribesItselfToTheDeviceTree) {
  SerialRig s;
  DescriptionRecorder r;
  s.uart.describe(static_cast<DeviceTreeWriter&>(r), {Placement::Space::kMmio, 0x9000000, 8, 1, 0});
  EXPECT_EQ(r.lines, (std::vector<std::string>{"node uart@0x9000000", "compatible = \"ns16550a\"", "reg mmio 0x9000000+0x8",
                                               "clock-frequency = 1843200", "interrupts 1 edge-rising", "end node"}));
}

TEST(Serial, DescribesItselfToAcpi) {
  SerialRig s;
  DescriptionRecorder r;
  s.uart.describe(static_cast<AcpiWriter&>(r), {Placement::Space::kPortIo, 0x3f8, 8, 4, 0});
  EXPECT_EQ(r.lines, (std::vector<std::string>{"device COM1 _HID PNP0501 _UID 0", "window pio 0x3f8+0x8",
                                               "interrupt 4 edge-rising", "end device"}));
  r.lines.clear();
  s.uart.describe(static_cast<AcpiWriter&>(r), {Placement::Space::kPortIo, 0x2f8, 8, 3, 1});
  EXPECT_EQ(r.lines, (std::vector<std::string>{"device COM2 _HID PNP0501 _UID 1", "window pio 0x2f8+0x8",
                                               "interrupt 3 edge-rising", "end device"}));
}

TEST(Serial, DescribingItChangesNoRegister) {
  SerialRig s;
  s.wr(3, 0x03);
  DescriptionRecorder r;
  s.uart.describe(static_cast<DeviceTreeWriter&>(r), {});
  s.uart.describe(static_cast<AcpiWriter&>(r), {});
  EXPECT_EQ(s.rd(3), 0x03);
  EXPECT_EQ(s.edges, 0) << "describing raises no interrupt";
}

}  // namespace
}  // namespace edgeward::vmm
