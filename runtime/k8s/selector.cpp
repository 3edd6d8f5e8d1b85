#include "runtime/k8s/selector.h"

#include <charconv>
#include <optional>

namespace edgeward::k8s {
namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string has(const board::Board& node, const std::string& key) {
  const std::string* v = node.label(key);
  return v ? "node has " + quoted(*v) : "node has no label " + quoted(key);
}

std::optional<int64_t> to_int(const std::string& s) {
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string list(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + values[i];
  return out + "]";
}

// Empty when the node satisfies `r`, else why not.
std::string requirement_problem(const SelectorRequirement& r, const board::Board& node) {
  const std::string* v = node.label(r.key);
  auto contains = [&](const std::string& x) {
    for (const auto& want : r.values) {
      if (want == x) return true;
    }
    return false;
  };
  switch (r.op) {
    case SelectorOp::kIn:
      if (v && contains(*v)) return "";
      return quoted(r.key) + " In " + list(r.values) + ": " + has(node, r.key);
    case SelectorOp::kNotIn:
      if (!v || !contains(*v)) return "";
      return quoted(r.key) + " NotIn " + list(r.values) + ": " + has(node, r.key);
    case SelectorOp::kExists:
      if (v) return "";
      return quoted(r.key) + " Exists: " + has(node, r.key);
    case SelectorOp::kDoesNotExist:
      if (!v) return "";
      return quoted(r.key) + " DoesNotExist: " + has(node, r.key);
    case SelectorOp::kGt:
    case SelectorOp::kLt: {
      const char* op = r.op == SelectorOp::kGt ? " Gt " : " Lt ";
      const auto want = to_int(r.values.empty() ? "" : r.values[0]);
      if (!want) return quoted(r.key) + op + list(r.values) + ": the value is not an integer";
      const auto got = v ? to_int(*v) : std::nullopt;
      if (got && (r.op == SelectorOp::kGt ? *got > *want : *got < *want)) return "";
      return quoted(r.key) + op + r.values[0] + ": " +
             (v && !got ? has(node, r.key) + ", not an integer" : has(node, r.key));
    }
  }
  return "unknown operator";
}

}  // namespace

std::vector<Mismatch> node_selector_mismatches(const StringPairs& selector, const std::string& path,
                                               const board::Board& node) {
  std::vector<Mismatch> out;
  for (const auto& [key, want] : selector) {
    const std::string* v = node.label(key);
    if (v && *v == want) continue;
    out.push_back({path + "[" + quoted(key) + "]", "wants " + quoted(want) + ", " + has(node, key)});
  }
  return out;
}

std::vector<Mismatch> node_affinity_mismatches(const std::vector<NodeSelectorTerm>& terms, const board::Board& node) {
  std::vector<Mismatch> out;
  for (const NodeSelectorTerm& term : terms) {
    if (term.match_expressions.empty()) {
      out.push_back({term.path, "an empty term matches no node"});
      continue;
    }
    std::optional<Mismatch> failed;
    for (const SelectorRequirement& r : term.match_expressions) {
      if (auto p = requirement_problem(r, node); !p.empty()) {
        failed = Mismatch{r.path, p};
        break;
      }
    }
    if (!failed) return {};
    out.push_back(std::move(*failed));
  }
  return out;
}

std::string describe_labels(const board::Board& node) {
  std::string out;
  for (const auto& [k, v] : node.labels) out += (out.empty() ? "" : ", ") + k + "=" + v;
  return out.empty() ? "(none)" : out;
}

}  // namespace edgeward::k8s
