#include "runtime/sandbox/systemd_cgroup.h"

#include <algorithm>

namespace edgeward::sandbox {
namespace {

constexpr std::string_view kSlice = ".slice";

Error bad(const std::string& path, const std::string& what) {
  return Error::invalid("linux.cgroupsPath: \"" + path + "\" (systemd's slice:prefix:name form): " + what);
}

// "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice"; "-.slice" (the root slice) -> "".
Result<std::string> expand_slice(const std::string& slice, const std::string& path) {
  if (!slice.ends_with(kSlice)) return bad(path, "the slice \"" + slice + "\" must end in .slice");
  const std::string name = slice.substr(0, slice.size() - kSlice.size());
  if (name == "-") return std::string();
  std::string out, prefix;
  size_t start = 0;
  for (size_t dash = 0; dash != std::string::npos; start = dash + 1) {
    dash = name.find('-', start);
    const std::string part = name.substr(start, dash == std::string::npos ? std::string::npos : dash - start);
    if (part.empty()) return bad(path, "the slice \"" + slice + "\" has an empty component between dashes");
    prefix += (prefix.empty() ? "" : "-") + part;
    out += "/" + prefix + std::string(kSlice);
  }
  return out;
}

}  // namespace

bool is_systemd_cgroup_path(const std::string& path) { return std::count(path.begin(), path.end(), ':') == 2; }

Result<std::string> systemd_cgroup_path(const std::string& path) {
  if (!is_systemd_cgroup_path(path)) return bad(path, "expected exactly three parts separated by ':'");
  const size_t a = path.find(':'), b = path.find(':', a + 1);
  const std::string slice = path.substr(0, a), prefix = path.substr(a + 1, b - a - 1), name = path.substr(b + 1);
  for (const auto& part : {slice, prefix, name}) {
    if (part.find('/') != std::string::npos || part == "." || part == "..") return bad(path, "\"" + part + "\" is not a unit name");
  }
  if (name.empty()) return bad(path, "the name (third part) is empty");
  EW_ASSIGN(const std::string parent, expand_slice(slice.empty() ? "system.slice" : slice, path));
  // runc: a scope unless the name is a slice itself.
  const std::string unit = name.ends_with(kSlice) ? name : (prefix.empty() ? name : prefix + "-" + name) + ".scope";
  return parent + "/" + unit;
}

}  // namespace edgeward::sandbox
