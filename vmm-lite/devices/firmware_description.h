// How a device model describes itself to the guest's firmware tables: its device-tree node (arm64)
// and its ACPI objects (x86_64), each written through an abstract writer, so a device file
// depends on neither libfdt nor the AML encoder and one device model stays one file. The arch
// code implements the writers (arch/arm64/fdt_writer.cpp over libfdt, acpi/dsdt_writer.cpp over
// acpi/aml), writes what is the platform's own (memory, CPUs, interrupt controller, timer,
// /chosen; RSDP, FADT, MADT) and asks every described device, in order, to describe itself.
//
// A device is told where the platform put it (Placement); it says what it is (compatible
// strings, _HID, properties) and what it does with its line (Trigger). The writer encodes
// windows and interrupts for its platform (reg cells, GIC interrupt specifiers; _CRS
// descriptors). Writers keep the first error (a name or window their format cannot hold) and
// report it when the table is finished: describe() itself cannot fail.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace edgeward::vmm {

// Where the platform put a device: the window it registered on a bus, the interrupt-controller
// input the device drives, and which instance of its kind it is.
struct Placement {
  enum class Space { kMmio, kPortIo };
  Space space = Space::kMmio;
  uint64_t base = 0;
  uint64_t size = 0;
  uint32_t irq = 0;       // x86_64: the GSI (IOAPIC pin); arm64: the SPI number (INTID - 32)
  uint32_t instance = 0;  // 0 for the first device of its kind: ACPI _UID, name suffix
};

// What a device does with its interrupt line.
enum class Trigger {
  kEdgeRising,  // pulses it once per event (the UART, virtio-mmio)
  kLevelHigh,   // holds it high while an interrupt is pending
};

// A device-tree node, written in order: begin_node, its properties, end_node.
class DeviceTreeWriter {
 public:
  virtual ~DeviceTreeWriter() = default;
  virtual void begin_node(std::string_view name, uint64_t unit_address) = 0;  // "name@<hex>"
  virtual void end_node() = 0;
  virtual void string(const char* property, std::string_view value) = 0;
  virtual void u32(const char* property, uint32_t value) = 0;
  virtual void flag(const char* property) = 0;  // an empty property, e.g. dma-coherent
  // `reg`: the device's window in the root's #address-cells / #size-cells (MMIO only).
  virtual void reg(const Placement& where) = 0;
  // `interrupts`: `irq` (a Placement::irq) in the interrupt controller's binding.
  virtual void interrupts(uint32_t irq, Trigger trigger) = 0;
};

// ACPI objects: devices in \_SB_ (begin_device, their _CRS resources, end_device), sleep-state
// packages, and the hardware-reduced power registers the FADT points at.
class AcpiWriter {
 public:
  virtual ~AcpiWriter() = default;
  // Device(name) { Name(_HID, hid) Name(_UID, uid) Name(_CRS, <the resources that follow>) }.
  virtual void begin_device(std::string_view name, std::string_view hid, uint64_t uid) = 0;
  virtual void end_device() = 0;
  // _CRS: the window (fixed I/O ports, or a read-write 32-bit fixed memory range).
  virtual void window(const Placement& where) = 0;
  // _CRS: an extended interrupt on GSI `irq`.
  virtual void interrupt(uint32_t irq, Trigger trigger) = 0;
  // Name(\_S<state>_, Package { type, 0, 0, 0 }): the SLP_TYP the guest writes to enter `state`.
  virtual void sleep_state(uint8_t state, uint8_t type) = 0;
  // The FADT's sleep control / status registers and reset register (byte-wide ports).
  struct PowerRegisters {
    uint16_t sleep_control = 0, sleep_status = 0, reset = 0;
    uint8_t reset_value = 0;
  };
  virtual void power_registers(const PowerRegisters& registers) = 0;
};

// A device model that appears in the firmware tables. Each platform asks for the description
// it uses; a device absent from one (the ACPI power registers on a device-tree machine) writes
// nothing there.
class FirmwareDescribed {
 public:
  virtual ~FirmwareDescribed() = default;
  virtual void describe(DeviceTreeWriter& out, const Placement& where) const = 0;
  virtual void describe(AcpiWriter& out, const Placement& where) const = 0;
};

// One entry of the machine's list of described devices, in the order the tables list them.
struct DescribedDevice {
  std::shared_ptr<const FirmwareDescribed> device;
  Placement where;
  bool console = false;  // the guest's console: the device tree's /chosen stdout-path names it
};

}  // namespace edgeward::vmm
