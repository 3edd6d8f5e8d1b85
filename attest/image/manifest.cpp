#include "attest/image/manifest.h"

#include <set>

#include "attest/image/manifest.pb.h"
#include "attest/pb_util.h"

namespace edgeward::attest {
namespace {

Error bad(const std::string& m) { return make_error(Errc::kMalformed, "manifest: " + m); }

}  // namespace

std::string_view kind_name(ComponentKind k) {
  switch (k) {
    case ComponentKind::kKernel: return "kernel";
    case ComponentKind::kInitrd: return "initrd";
    case ComponentKind::kRootfsDisk: return "rootfs-disk";
    case ComponentKind::kRootfsArchive: return "rootfs-archive";
  }
  return "?";
}

Result<std::vector<uint8_t>> encode_manifest(const Manifest& m) {
  edgeward_attest_Manifest msg = edgeward_attest_Manifest_init_zero;
  msg.format = kManifestFormat;
  if (!pb::put_string(msg.name, m.name) || !pb::put_string(msg.version, m.version) ||
      !pb::put_string(msg.entry, m.entry) || !pb::put_string(msg.kernel_cmdline, m.kernel_cmdline)) {
    return bad("name, version, entry or kernel command line too long (see attest/image/manifest.options)");
  }
  if (m.components.size() > kMaxComponents) return bad("more than 8 components");
  msg.components_count = static_cast<pb_size_t>(m.components.size());
  for (size_t i = 0; i < m.components.size(); ++i) {
    const Component& c = m.components[i];
    auto& out = msg.components[i];
    out.kind = static_cast<edgeward_attest_ComponentKind>(c.kind);
    if (!pb::put_string(out.name, c.name)) return bad("component name '" + c.name + "' too long");
    out.offset = c.offset;
    out.size = c.size;
    std::memcpy(out.sha256, c.sha256.data(), 32);
    out.digest_kind = static_cast<edgeward_attest_DigestKind>(c.digest_kind);
    out.tree_offset = c.tree_offset;
    out.tree_size = c.tree_size;
  }
  msg.has_resources = true;
  msg.resources.memory_bytes = m.memory_bytes;
  msg.resources.vcpus = m.vcpus;
  msg.has_sandbox = true;
  if (!pb::put_string(msg.sandbox.profile, m.sandbox_profile)) return bad("sandbox profile name too long");
  msg.sandbox.network = m.network;
  if (m.node_selector.size() > 16) return bad("more than 16 node selector entries");
  msg.node_selector_count = static_cast<pb_size_t>(m.node_selector.size());
  for (size_t i = 0; i < m.node_selector.size(); ++i) {
    if (!pb::put_string(msg.node_selector[i].key, m.node_selector[i].first) ||
        !pb::put_string(msg.node_selector[i].value, m.node_selector[i].second)) {
      return bad("node selector '" + m.node_selector[i].first + "' too long");
    }
  }
  msg.created_unix = m.created_unix;
  return pb::encode(edgeward_attest_Manifest_fields, msg, edgeward_attest_Manifest_size, "manifest");
}

Result<Manifest> decode_manifest(std::span<const uint8_t> bytes) {
  edgeward_attest_Manifest msg = edgeward_attest_Manifest_init_zero;
  EW_TRY(pb::decode(edgeward_attest_Manifest_fields, msg, bytes, kMaxManifestBytes, "manifest"));
  if (msg.format != kManifestFormat) {
    return bad("format " + std::to_string(msg.format) + " is not supported (this edgeward reads format 1)");
  }
  Manifest m;
  m.name = msg.name;
  m.version = msg.version;
  if (m.name.empty()) return bad("missing image name");
  if (msg.components_count == 0) return bad("no components");
  std::set<std::string> names;
  for (pb_size_t i = 0; i < msg.components_count; ++i) {
    const auto& in = msg.components[i];
    Component c;
    const int64_t kind = pb::enum_value(in.kind);
    if (kind < edgeward_attest_ComponentKind_KERNEL || kind > edgeward_attest_ComponentKind_ROOTFS_ARCHIVE) {
      return bad("component " + std::to_string(i) + " has unknown kind " + std::to_string(kind));
    }
    c.kind = static_cast<ComponentKind>(kind);
    c.name = in.name;
    if (c.name.empty()) return bad("component " + std::to_string(i) + " has no name");
    if (!names.insert(c.name).second) return bad("duplicate component name '" + c.name + "'");
    const int64_t digest_kind = pb::enum_value(in.digest_kind);
    if (digest_kind != edgeward_attest_DigestKind_SHA256 && digest_kind != edgeward_attest_DigestKind_SHA256_MERKLE_4K) {
      return bad("component '" + c.name + "' has unknown digest kind " + std::to_string(digest_kind));
    }
    c.digest_kind = static_cast<DigestKind>(digest_kind);
    c.offset = in.offset;
    c.size = in.size;
    c.tree_offset = in.tree_offset;
    c.tree_size = in.tree_size;
    constexpr uint64_t kMax = uint64_t{1} << 50;  // 1 PiB: no overflow in offset + size anywhere
    if (c.offset > kMax || c.size > kMax || c.tree_offset > kMax || c.tree_size > kMax) {
      return bad("component '" + c.name + "' has an out-of-range offset or size");
    }
    if (c.digest_kind == DigestKind::kSha256 && (c.tree_offset || c.tree_size)) {
      return bad("component '" + c.name + "' has a Merkle tree but a flat digest kind");
    }
    std::memcpy(c.sha256.data(), in.sha256, 32);
    m.components.push_back(std::move(c));
  }
  m.entry = msg.entry;
  m.kernel_cmdline = msg.kernel_cmdline;
  m.memory_bytes = msg.resources.memory_bytes;
  m.vcpus = msg.resources.vcpus;
  m.sandbox_profile = msg.sandbox.profile;
  m.network = msg.sandbox.network;
  for (pb_size_t i = 0; i < msg.node_selector_count; ++i) {
    if (msg.node_selector[i].key[0] == '\0') return bad("node selector entry " + std::to_string(i) + " has no key");
    m.node_selector.emplace_back(msg.node_selector[i].key, msg.node_selector[i].value);
  }
  m.created_unix = msg.created_unix;
  return m;
}

}  // namespace edgeward::attest
