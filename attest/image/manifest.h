// The workload image manifest (image/manifest.proto) as a C++ value, and its codec. The decoder
// is the parser for hostile bytes (fuzzed in tests/fuzz/manifest_fuzz.cpp); it checks the
// structure only. Policy (does this node satisfy the selector, are digests right) lives elsewhere.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "attest/crypto/sha256.h"
#include "common/result.h"

namespace edgeward::attest {

constexpr uint32_t kManifestFormat = 1;
constexpr size_t kMaxManifestBytes = 16 * 1024;
constexpr size_t kMaxComponents = 8;

enum class ComponentKind { kKernel = 1, kInitrd = 2, kRootfsDisk = 3, kRootfsArchive = 4 };
enum class DigestKind { kSha256 = 0, kMerkle4k = 1 };

std::string_view kind_name(ComponentKind k);  // "kernel", "initrd", "rootfs-disk", "rootfs-archive"

struct Component {
  ComponentKind kind = ComponentKind::kKernel;
  std::string name;
  uint64_t offset = 0;
  uint64_t size = 0;
  Digest sha256{};
  DigestKind digest_kind = DigestKind::kSha256;
  uint64_t tree_offset = 0;
  uint64_t tree_size = 0;

  bool operator==(const Component&) const = default;
};

struct Manifest {
  std::string name;
  std::string version;
  std::vector<Component> components;
  std::string entry;
  std::string kernel_cmdline;
  uint64_t memory_bytes = 0;
  uint32_t vcpus = 0;
  std::string sandbox_profile;
  bool network = false;
  std::vector<std::pair<std::string, std::string>> node_selector;
  uint64_t created_unix = 0;

  bool operator==(const Manifest&) const = default;
};

Result<std::vector<uint8_t>> encode_manifest(const Manifest& m);
// Refuses malformed wire data, a wrong format number, missing names, digests that are not 32
// bytes, duplicate component names and components whose ranges overflow.
Result<Manifest> decode_manifest(std::span<const uint8_t> bytes);

}  // namespace edgeward::attest
