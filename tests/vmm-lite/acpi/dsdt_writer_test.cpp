// The AML-backed ACPI writer: what devices describe becomes the DSDT body, term for term, and
// what ACPI cannot express is refused with a message that names the device.
#include "vmm-lite/acpi/dsdt_writer.h"

#include <gtest/gtest.h>

#include <functional>

namespace edgeward::vmm {
namespace {

using aml::Bytes;
constexpr auto kPio = Placement::Space::kPortIo;
constexpr auto kMmio = Placement::Space::kMmio;

struct Refusal {
  const char* what;
  std::function<void(acpi::DsdtWriter&)> write;
  const char* message;
};

TEST(DsdtWriter, RefusesWhatAcpiCannotExpress) {
  const Refusal cases[] = {
      {"name too long", [](auto& w) { w.begin_device("COM10", "PNP0501", 9); }, "'COM10' is not one 4-character"},
      {"name with a digit first", [](auto& w) { w.begin_device("1COM", "PNP0501", 0); }, "'1COM'"},
      {"lower case name", [](auto& w) { w.begin_device("vr00", "LNRO0005", 0); }, "'vr00'"},
      {"nested device", [](auto& w) { w.begin_device("VR00", "X", 0), w.begin_device("VR01", "X", 1); }, "inside device VR00"},
      {"unopened end", [](auto& w) { w.end_device(); }, "never began"},
      {"window outside a device", [](auto& w) { w.window({kPio, 0x3f8, 8, 0, 0}); }, "outside any device"},
      {"interrupt outside a device", [](auto& w) { w.interrupt(4, Trigger::kEdgeRising); }, "outside any device"},
      {"MMIO above 4 GiB", [](auto& w) { w.begin_device("VR00", "X", 0), w.window({kMmio, 0xffff'f000, 0x2000, 0, 0}); },
       "VR00: MMIO window 0xfffff000+0x2000 is not below 4 GiB"},
      {"port past 0xffff", [](auto& w) { w.begin_device("COM1", "X", 0), w.window({kPio, 0xfffc, 8, 0, 0}); },
       "COM1: port window 0xfffc+0x8"},
      {"port window over 255", [](auto& w) { w.begin_device("COM1", "X", 0), w.window({kPio, 0x1000, 0x100, 0, 0}); },
       "does not fit an I/O descriptor"},
      {"left open", [](auto& w) { w.begin_device("VR00", "X", 0); }, "device VR00 is not closed"},
      {"sleep state S6", [](auto& w) { w.sleep_state(6, 0); }, "S6 does not exist"},
      {"two power devices", [](auto& w) { w.power_registers({}), w.power_registers({}); }, "two devices"},
  };
  for (const Refusal& c : cases) {
    acpi::DsdtWriter w;
    c.write(w);
    auto body = w.dsdt_body();
    ASSERT_FALSE(body.ok()) << c.what;
    EXPECT_NE(body.error().message.find(c.message), std::string::npos) << c.what << ": " << body.error().message;
    EXPECT_NE(body.error().message.find("describing the devices to ACPI"), std::string::npos) << c.what;
  }
}

TEST(DsdtWriter, DevicesGoIntoSbAndSleepStatesToTheRoot) {
  acpi::DsdtWriter w;
  w.sleep_state(5, 7);  // before the devices: still after \_SB_ in the body
  w.begin_device("COM1", "PNP0501", 0);
  w.window({kPio, 0x3f8, 8, 4, 0});
  w.interrupt(4, Trigger::kEdgeRising);
  w.end_device();
  w.begin_device("VR03", "LNRO0005", 3);
  w.window({kMmio, 0xd0003000, 0x1000, 19, 3});
  w.interrupt(19, Trigger::kLevelHigh);
  w.end_device();
  w.power_registers({0x600, 0x601, 0x602, 1});
  auto body = w.dsdt_body();
  ASSERT_TRUE(body.ok()) << body.error().message;

  const Bytes com1 = aml::device("COM1", {aml::name("_HID", aml::string("PNP0501")), aml::name("_UID", aml::integer(0)),
                                          aml::name("_CRS", aml::resource_template({aml::io_port(0x3f8, 8),
                                                                                    aml::interrupt(4, true, false)}))});
  const Bytes vr03 =
      aml::device("VR03", {aml::name("_HID", aml::string("LNRO0005")), aml::name("_UID", aml::integer(3)),
                           aml::name("_CRS", aml::resource_template({aml::memory32_fixed(0xd0003000, 0x1000, true),
                                                                     aml::interrupt(19, false, false)}))});
  Bytes expected = aml::scope("\\_SB_", {com1, vr03});
  const Bytes s5 = aml::name("\\_S5_", aml::package({aml::integer(7), aml::integer(0), aml::integer(0), aml::integer(0)}));
  expected.insert(expected.end(), s5.begin(), s5.end());
  EXPECT_EQ(*body, expected);
  ASSERT_TRUE(w.power().has_value());
  EXPECT_EQ(w.power()->sleep_status, 0x601);
  EXPECT_EQ(w.power()->reset_value, 1);
}

TEST(DsdtWriter, NothingDescribedIsAnEmptySb) {
  acpi::DsdtWriter w;
  auto body = w.dsdt_body();
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, aml::scope("\\_SB_", {}));
  EXPECT_FALSE(w.power().has_value());
}

}  // namespace
}  // namespace edgeward::vmm
