#include "vmm-lite/acpi/aml.h"

#include <gtest/gtest.h>

#include "vmm-lite/acpi/sdt.h"

namespace edgeward::vmm {
namespace {

using aml::Bytes;

TEST(Aml, PkgLengthBoundaries) {
  EXPECT_EQ(aml::pkg_length(0), (Bytes{0x01}));
  EXPECT_EQ(aml::pkg_length(62), (Bytes{0x3f}));
  // 63 payload bytes + 2 length bytes = 65 = 0x41: lead 0x41 & 0xf | 1 << 6, then 0x41 >> 4.
  EXPECT_EQ(aml::pkg_length(63), (Bytes{0x41, 0x04}));
  EXPECT_EQ(aml::pkg_length(4093), (Bytes{0x4f, 0xff}));
  EXPECT_EQ(aml::pkg_length(4094), (Bytes{0x81, 0x00, 0x01}));
}

TEST(Aml, Integers) {
  EXPECT_EQ(aml::integer(0), (Bytes{0x00}));
  EXPECT_EQ(aml::integer(1), (Bytes{0x01}));
  EXPECT_EQ(aml::integer(5), (Bytes{0x0a, 0x05}));
  EXPECT_EQ(aml::integer(0x1234), (Bytes{0x0b, 0x34, 0x12}));
  EXPECT_EQ(aml::integer(0xd0000000), (Bytes{0x0c, 0x00, 0x00, 0x00, 0xd0}));
  EXPECT_EQ(aml::integer(0x100000000ull).size(), 9u);
}

TEST(Aml, NamesAndPackages) {
  EXPECT_EQ(aml::name_string("\\_S5"), (Bytes{'\\', '_', 'S', '5', '_'}));
  // Name(\_S5_, Package(){5, 0}) = 08 5C "_S5_" 12 PkgLen NumElements 0A 05 00
  EXPECT_EQ(aml::name("\\_S5_", aml::package({aml::integer(5), aml::integer(0)})),
            (Bytes{0x08, '\\', '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x05, 0x00}));
  EXPECT_EQ(aml::string("AB"), (Bytes{0x0d, 'A', 'B', 0x00}));
}

TEST(Aml, ResourceTemplate) {
  const Bytes rt = aml::resource_template({aml::memory32_fixed(0xd0000000, 0x1000, true), aml::interrupt(16, true, false)});
  // Buffer op, pkglen, size (byte const 12 + 9 + 2 = 23), descriptors, end tag.
  ASSERT_GE(rt.size(), 4u);
  EXPECT_EQ(rt[0], 0x11);
  EXPECT_EQ(rt[2], 0x0a);
  EXPECT_EQ(rt[3], 23);
  EXPECT_EQ(rt[4], 0x86);
  EXPECT_EQ(rt.back(), 0x00);
  EXPECT_EQ(rt[rt.size() - 2], 0x79);
}

TEST(Acpi, TablesAndRsdpChecksumToZero) {
  const acpi::Bytes t = acpi::table("TEST", 1, {1, 2, 3, 250});
  EXPECT_EQ(t.size(), acpi::kHeaderSize + 4);
  EXPECT_EQ(acpi::checksum(t, 0, t.size()), 0);
  const acpi::Bytes r = acpi::rsdp(0x1234);
  ASSERT_EQ(r.size(), 36u);
  EXPECT_EQ(acpi::checksum(r, 0, 20), 0);
  EXPECT_EQ(acpi::checksum(r, 0, 36), 0);
}

}  // namespace
}  // namespace edgeward::vmm
