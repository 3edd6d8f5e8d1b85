#include "runtime/sandbox/policy_parser.h"

#include <tinyxml2.h>

#include <array>
#include <cerrno>
#include <set>
#include <utility>

#include "common/units.h"

namespace edgeward::sandbox {
namespace {

using tinyxml2::XMLElement;

constexpr size_t kMaxText = 4096;

constexpr std::array<std::pair<std::string_view, int>, 12> kErrnos{{
    {"EPERM", EPERM}, {"ENOENT", ENOENT}, {"EACCES", EACCES}, {"EINVAL", EINVAL},
    {"ENOSYS", ENOSYS}, {"EROFS", EROFS}, {"EAFNOSUPPORT", EAFNOSUPPORT}, {"ENOTSUP", ENOTSUP},
    {"ENOMEM", ENOMEM}, {"EBADF", EBADF}, {"ELOOP", ELOOP}, {"EAGAIN", EAGAIN},
}};

class Parser {
 public:
  explicit Parser(std::string_view source) : source_(source) {}

  Error at(const XMLElement& e, const std::string& what) const {
    return Error::invalid(std::string(source_) + ":" + std::to_string(e.GetLineNum()) + ": " + what);
  }

  Result<std::string> attr(const XMLElement& e, const char* name, bool required = true) const {
    const char* a = e.Attribute(name);
    if (!a || !*a) {
      if (!required) return std::string();
      return at(e, std::string("<") + e.Name() + "> needs the attribute " + name + "=\"...\"");
    }
    std::string s = a;
    if (s.size() > kMaxText) return at(e, std::string(name) + "=\"...\" is longer than 4096 bytes");
    return s;
  }

  Status known_attrs(const XMLElement& e, std::set<std::string_view> known) const {
    for (const auto* a = e.FirstAttribute(); a; a = a->Next()) {
      if (!known.count(a->Name())) {
        return at(e, std::string("<") + e.Name() + "> has an unknown attribute " + a->Name());
      }
    }
    return {};
  }

  Result<std::string> reason(const XMLElement& e) const {
    EW_ASSIGN(std::string r, attr(e, "reason", false));
    if (r.empty()) return at(e, std::string("<") + e.Name() + "> needs reason=\"...\": every rule says why it exists");
    return r;
  }

  Result<PathRule> path(const XMLElement& e) const {
    EW_TRY(known_attrs(e, {"pattern", "access", "reason"}));
    PathRule r;
    EW_ASSIGN(r.pattern, attr(e, "pattern"));
    if (r.pattern[0] != '/') return at(e, "path pattern \"" + r.pattern + "\" must be absolute (start with /)");
    if (r.pattern.find("//") != std::string::npos || r.pattern.find("/../") != std::string::npos ||
        r.pattern.find("/./") != std::string::npos || r.pattern.ends_with("/..") || r.pattern.ends_with("/.") ||
        (r.pattern.size() > 1 && r.pattern.back() == '/')) {
      return at(e, "path pattern \"" + r.pattern + "\" must be canonical (no //, ., .. or trailing /)");
    }
    EW_ASSIGN(std::string a, attr(e, "access"));
    if (a == "read") r.access = Access::kRead;
    else if (a == "write") r.access = Access::kWrite;
    else if (a == "exec") r.access = Access::kExec;
    else if (a == "deny") r.access = Access::kDeny;
    else return at(e, "access=\"" + a + "\" is not one of read, write, exec, deny");
    EW_ASSIGN(r.reason, reason(e));
    return r;
  }

  Result<SyscallRule> syscall(const XMLElement& e) const {
    EW_TRY(known_attrs(e, {"name", "action", "errno", "reason"}));
    SyscallRule r;
    EW_ASSIGN(r.name, attr(e, "name"));
    if (r.name.size() > 64) return at(e, "syscall name is longer than 64 characters");
    for (char c : r.name) {
      if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_') {
        return at(e, "syscall name \"" + r.name + "\" may only hold a-z, 0-9 and _");
      }
    }
    EW_ASSIGN(std::string a, attr(e, "action"));
    if (a == "allow") r.action = Action::kAllow;
    else if (a == "trace") r.action = Action::kTrace;
    else if (a == "deny") r.action = Action::kDeny;
    else if (a == "kill") r.action = Action::kKill;
    else return at(e, "action=\"" + a + "\" is not one of allow, trace, deny, kill");
    EW_ASSIGN(std::string err, attr(e, "errno", false));
    if (r.action == Action::kDeny) {
      if (err.empty()) err = "EPERM";
      auto n = parse_errno(err);
      if (!n) return at(e, n.error().message);
      r.errno_value = *n;
    } else if (!err.empty()) {
      return at(e, "errno=\"...\" only makes sense with action=\"deny\"");
    }
    EW_ASSIGN(r.reason, reason(e));
    return r;
  }

  Result<ParsedPolicy> document(const XMLElement& root) const {
    if (std::string_view(root.Name()) != "sandbox-policy") {
      return at(root, std::string("the root element is <") + root.Name() + ">, expected <sandbox-policy>");
    }
    EW_TRY(known_attrs(root, {"name", "schema", "extends"}));
    EW_ASSIGN(std::string schema, attr(root, "schema"));
    if (schema != "1") return at(root, "schema=\"" + schema + "\" is not supported (this edgeward reads schema 1)");
    ParsedPolicy out;
    EW_ASSIGN(out.policy.name, attr(root, "name"));
    EW_ASSIGN(out.extends, attr(root, "extends", false));
    if (!out.extends.empty() && out.extends != "default") {
      return at(root, "extends=\"" + out.extends + "\": only \"default\" can be extended");
    }
    bool seen_network = false;
    std::set<std::string> seen_syscalls;
    size_t rules = 0;
    for (const XMLElement* e = root.FirstChildElement(); e; e = e->NextSiblingElement()) {
      if (++rules > kMaxPolicyRules) return at(*e, "more than 4096 rules");
      const std::string_view n = e->Name();
      if (n == "network") {
        if (seen_network) return at(*e, "<network> appears more than once; keep one");
        seen_network = true;
        EW_TRY(known_attrs(*e, {"allowed", "reason"}));
        EW_ASSIGN(std::string allowed, attr(*e, "allowed"));
        if (allowed != "true" && allowed != "false") return at(*e, "allowed=\"" + allowed + "\" must be true or false");
        out.policy.network = allowed == "true";
        EW_ASSIGN(out.policy.network_reason, reason(*e));
      } else if (n == "path") {
        EW_ASSIGN(PathRule r, path(*e));
        out.policy.paths.push_back(std::move(r));
      } else if (n == "syscall") {
        EW_ASSIGN(SyscallRule r, syscall(*e));
        if (!seen_syscalls.insert(r.name).second) return at(*e, "syscall " + r.name + " has two rules; keep one");
        out.policy.syscalls.push_back(std::move(r));
      } else {
        return at(*e, "unknown element <" + std::string(n) + "> (expected network, path or syscall)");
      }
    }
    return out;
  }

 private:
  std::string_view source_;
};

}  // namespace

Result<int> parse_errno(std::string_view text) {
  for (const auto& [name, value] : kErrnos) {
    if (text == name) return value;
  }
  auto n = parse_uint(text, 1, 4095, "errno");
  if (!n) return Error::invalid("errno \"" + std::string(text) + "\" is neither a known name (EPERM, EACCES, ...) "
                                "nor a number 1..4095");
  return static_cast<int>(*n);
}

std::string errno_name(int e) {
  for (const auto& [name, value] : kErrnos) {
    if (value == e) return std::string(name);
  }
  return std::to_string(e);
}

Result<ParsedPolicy> parse_policy_xml(std::string_view xml, std::string_view source) {
  if (xml.size() > kMaxPolicyBytes) {
    return Error::invalid(std::string(source) + ": policy is larger than 256 KiB");
  }
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    return Error::invalid(std::string(source) + ":" + std::to_string(doc.ErrorLineNum()) + ": not well-formed XML (" +
                          doc.ErrorStr() + ")");
  }
  const XMLElement* root = doc.RootElement();
  if (!root) return Error::invalid(std::string(source) + ": no root element");
  return Parser(source).document(*root);
}

}  // namespace edgeward::sandbox
