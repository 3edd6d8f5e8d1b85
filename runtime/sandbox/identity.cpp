#include "runtime/sandbox/identity.h"

#include <grp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/text/file_text.h"
#include "common/text/scanner.h"

namespace edgeward::sandbox {
namespace {

constexpr uint64_t kIdSpace = uint64_t{1} << 32;
constexpr uint32_t kNobody = 65534;  // never reached after check_mapped; never host root either

bool write_proc(pid_t pid, const char* file, const std::string& text) {
  return text::write_file("/proc/" + std::to_string(pid) + "/" + file, text);
}

std::string map_text(const std::vector<IdMapping>& maps) {
  std::string out;
  for (const auto& m : maps) out += std::to_string(m.inside) + " " + std::to_string(m.host) + " " + std::to_string(m.size) + "\n";
  return out;
}

std::optional<uint32_t> to_host(const std::vector<IdMapping>& maps, uint32_t inside) {
  for (const auto& m : maps) {
    if (inside >= m.inside && uint64_t{inside} < uint64_t{m.inside} + m.size) return m.host + (inside - m.inside);
  }
  return std::nullopt;
}

std::optional<uint32_t> to_inside(const std::vector<IdMapping>& maps, uint32_t host) {
  for (const auto& m : maps) {
    if (host >= m.host && uint64_t{host} < uint64_t{m.host} + m.size) return m.inside + (host - m.host);
  }
  return std::nullopt;
}

bool overlap(uint32_t a, uint32_t b, uint32_t size_a, uint32_t size_b) {
  return uint64_t{a} < uint64_t{b} + size_b && uint64_t{b} < uint64_t{a} + size_a;
}

std::string range_text(const std::vector<IdMapping>& maps) {
  std::string out;
  for (const auto& m : maps) {
    out += (out.empty() ? "" : ", ") + std::to_string(m.inside) + ".." + std::to_string(uint64_t{m.inside} + m.size - 1);
  }
  return out.empty() ? "none" : out;
}

Result<std::vector<IdMapping>> read_map(pid_t pid, const char* file) {
  const std::string path = "/proc/" + std::to_string(pid) + "/" + file;
  const auto content = text::read_file(path, 1 << 16);
  if (!content) return Error::io("cannot read " + path + ": " + std::strerror(errno));
  text::Scanner in(*content);
  std::vector<IdMapping> out;
  uint64_t inside = 0, host = 0, size = 0;
  while (in >> inside >> host >> size && out.size() < kMaxIdMappings) {
    out.push_back({static_cast<uint32_t>(inside), static_cast<uint32_t>(host), static_cast<uint32_t>(size)});
  }
  if (out.empty()) return Error::io(path + " maps no id");
  return out;
}

}  // namespace

std::optional<uint32_t> IdMaps::host_uid(uint32_t inside) const { return to_host(uid, inside); }
std::optional<uint32_t> IdMaps::host_gid(uint32_t inside) const { return to_host(gid, inside); }
std::optional<uint32_t> IdMaps::inside_uid(uint32_t host) const { return to_inside(uid, host); }
std::optional<uint32_t> IdMaps::inside_gid(uint32_t host) const { return to_inside(gid, host); }

edgeward::Status validate_mappings(const std::vector<IdMapping>& maps, std::string_view what) {
  const std::string w(what);
  if (maps.empty()) return Error::invalid(w + ": empty; give at least one mapping (or leave both lists out)");
  if (maps.size() > kMaxIdMappings) {
    return Error::invalid(w + ": " + std::to_string(maps.size()) + " entries, the kernel takes at most " +
                          std::to_string(kMaxIdMappings));
  }
  for (size_t i = 0; i < maps.size(); ++i) {
    const IdMapping& m = maps[i];
    const std::string at = w + "[" + std::to_string(i) + "]: ";
    if (m.size == 0) return Error::invalid(at + "size must be greater than 0");
    if (uint64_t{m.inside} + m.size > kIdSpace || uint64_t{m.host} + m.size > kIdSpace) {
      return Error::invalid(at + "the range runs past id 4294967295");
    }
    if (m.host == 0) {
      return Error::unsupported(at + "maps to host id 0: edgeward never maps a workload to host root; use an "
                                "unprivileged host range (see docs/oci.md, \"User namespace\")");
    }
    for (size_t j = 0; j < i; ++j) {
      if (overlap(m.inside, maps[j].inside, m.size, maps[j].size)) {
        return Error::invalid(at + "containerID range overlaps entry " + std::to_string(j));
      }
      if (overlap(m.host, maps[j].host, m.size, maps[j].size)) {
        return Error::invalid(at + "hostID range overlaps entry " + std::to_string(j));
      }
    }
  }
  return {};
}

edgeward::Status check_identity(const Identity& id) {
  const bool custom = !id.uid_mappings.empty() || !id.gid_mappings.empty();
  if (geteuid() != 0) {
    if (custom) {
      return Error::unsupported("linux.uidMappings/gidMappings need edgeward to run as root (an unprivileged caller "
                                "maps one id, its own); leave them out");
    }
    if (id.uid != 0 || id.gid != 0 || !id.additional_gids.empty()) {
      return Error::unsupported("the sandbox maps one id (0, the caller's own): process.user must be 0:0 without "
                                "additional groups unless edgeward runs as root");
    }
    return {};
  }
  if (!custom) return {};
  if (id.uid_mappings.empty() || id.gid_mappings.empty()) {
    return Error::invalid("linux.uidMappings and linux.gidMappings: give both or neither");
  }
  EW_TRY(validate_mappings(id.uid_mappings, "linux.uidMappings"));
  return validate_mappings(id.gid_mappings, "linux.gidMappings");
}

IdMaps caller_maps() { return {{{0, geteuid(), 1}}, {{0, getegid(), 1}}, false}; }

IdMaps range_maps(uint32_t host_base, uint32_t size) {
  return {{{0, host_base, size}}, {{0, host_base, size}}, true};
}

IdMaps explicit_maps(const Identity& id) { return {id.uid_mappings, id.gid_mappings, true}; }

Result<IdMaps> read_id_maps(pid_t pid) {
  IdMaps maps;
  EW_ASSIGN(maps.uid, read_map(pid, "uid_map"));
  EW_ASSIGN(maps.gid, read_map(pid, "gid_map"));
  maps.privileged = geteuid() == 0;
  return maps;
}

edgeward::Status check_mapped(const Identity& id, const IdMaps& maps) {
  if (!maps.host_uid(id.uid)) {
    return Error::invalid("process.user.uid " + std::to_string(id.uid) + " is not mapped in the user namespace (mapped uids: " +
                          range_text(maps.uid) + ")");
  }
  if (!maps.host_gid(id.gid)) {
    return Error::invalid("process.user.gid " + std::to_string(id.gid) + " is not mapped in the user namespace (mapped gids: " +
                          range_text(maps.gid) + ")");
  }
  for (uint32_t g : id.additional_gids) {
    if (!maps.host_gid(g)) {
      return Error::invalid("process.user.additionalGids: " + std::to_string(g) +
                            " is not mapped in the user namespace (mapped gids: " + range_text(maps.gid) + ")");
    }
  }
  return {};
}

edgeward::Status write_id_maps(pid_t pid, const IdMaps& maps) {
  // setgroups must be denied before an unprivileged gid_map write; with privileged maps the jail
  // sets the additional groups itself.
  if ((!maps.privileged && !write_proc(pid, "setgroups", "deny")) || !write_proc(pid, "uid_map", map_text(maps.uid)) ||
      !write_proc(pid, "gid_map", map_text(maps.gid))) {
    return Error::io("cannot write the sandbox's uid/gid maps: " + std::string(std::strerror(errno)));
  }
  return {};
}

uid_t host_uid(const Identity& id, const IdMaps& maps) { return maps.host_uid(id.uid).value_or(kNobody); }
gid_t host_gid(const Identity& id, const IdMaps& maps) { return maps.host_gid(id.gid).value_or(kNobody); }

std::vector<gid_t> host_groups(const Identity& id, const IdMaps& maps) {
  std::vector<gid_t> out;
  for (uint32_t g : id.additional_gids) {
    if (auto h = maps.host_gid(g)) out.push_back(*h);
  }
  return out;
}

bool switch_identity(const Identity& id, const IdMaps& maps) {
  if (!maps.privileged) return true;
  std::vector<gid_t> groups(id.additional_gids.begin(), id.additional_gids.end());
  // Raw calls: the C library's wrappers would signal every thread (the jail has one).
  return syscall(SYS_setgroups, groups.size(), groups.data()) == 0 &&
         syscall(SYS_setresgid, id.gid, id.gid, id.gid) == 0 && syscall(SYS_setresuid, id.uid, id.uid, id.uid) == 0;
}

}  // namespace edgeward::sandbox
