#include "runtime/k8s/pod_parser.h"

#include <set>

#include "common/board/labels.h"
#include "runtime/k8s/json_fields.h"
#include "runtime/k8s/quantity.h"

namespace edgeward::k8s {
namespace {

// A DNS-1123 name (RFC 1123 subdomain when `dots`): lowercase letters, digits, '-' ('.').
std::string dns_name_problem(std::string_view s, size_t max, bool dots) {
  if (s.empty()) return "must not be empty";
  if (s.size() > max) return "is longer than " + std::to_string(max) + " characters";
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  for (char c : s) {
    if (!alnum(c) && c != '-' && !(dots && c == '.')) {
      return std::string("has the character '") + c + "' (allowed: a-z, 0-9, '-'" + (dots ? ", '.'" : "") + ")";
    }
  }
  if (!alnum(s.front()) || !alnum(s.back())) return "must start and end with a lowercase letter or digit";
  return "";
}

Status check(const std::string& problem, const std::string& path, std::string_view value) {
  if (problem.empty()) return {};
  return Error::invalid(path + ": \"" + std::string(value) + "\" " + problem);
}

// Label keys and values (nodeSelector, metadata.labels, matchExpressions) follow Kubernetes' syntax.
Result<StringPairs> read_labels(const Json& v, const std::string& path) {
  EW_ASSIGN(auto pairs, read_string_map(v, path, kMaxListItems));
  for (const auto& [k, value] : pairs) {
    if (auto p = board::label_key_problem(k); !p.empty()) return Error::invalid(entry_path(path, k) + ": key: " + p);
    if (auto p = board::label_value_problem(value); !p.empty()) return Error::invalid(entry_path(path, k) + ": " + p);
  }
  return pairs;
}

Result<SelectorOp> read_operator(const Json& v, const std::string& path) {
  EW_ASSIGN(auto s, read_string(v, path));
  if (s == "In") return SelectorOp::kIn;
  if (s == "NotIn") return SelectorOp::kNotIn;
  if (s == "Exists") return SelectorOp::kExists;
  if (s == "DoesNotExist") return SelectorOp::kDoesNotExist;
  if (s == "Gt") return SelectorOp::kGt;
  if (s == "Lt") return SelectorOp::kLt;
  return Error::invalid(path + ": unknown operator \"" + s + "\" (use In, NotIn, Exists, DoesNotExist, Gt or Lt)");
}

Result<SelectorRequirement> read_requirement(const Json& v, const std::string& path) {
  EW_TRY(expect_object(v, path));
  SelectorRequirement r;
  r.path = path;
  const Json* key = member(v, "key");
  if (!key) return Error::invalid(path + ": key is required");
  EW_ASSIGN(r.key, read_string(*key, field_path(path, "key")));
  if (auto p = board::label_key_problem(r.key); !p.empty()) return Error::invalid(field_path(path, "key") + ": " + p);
  const Json* op = member(v, "operator");
  if (!op) return Error::invalid(path + ": operator is required");
  EW_ASSIGN(r.op, read_operator(*op, field_path(path, "operator")));
  if (const Json* values = member(v, "values")) {
    EW_ASSIGN(r.values, read_string_list(*values, field_path(path, "values"), kMaxListItems));
  }
  const std::string values_path = field_path(path, "values");
  switch (r.op) {
    case SelectorOp::kIn:
    case SelectorOp::kNotIn:
      if (r.values.empty()) return Error::invalid(values_path + ": In and NotIn need at least one value");
      break;
    case SelectorOp::kExists:
    case SelectorOp::kDoesNotExist:
      if (!r.values.empty()) return Error::invalid(values_path + ": Exists and DoesNotExist take no values");
      break;
    case SelectorOp::kGt:
    case SelectorOp::kLt:
      if (r.values.size() != 1) return Error::invalid(values_path + ": Gt and Lt take exactly one integer value");
      break;
  }
  return r;
}

Result<std::vector<NodeSelectorTerm>> read_node_affinity(const Json& affinity, const std::string& path) {
  std::vector<NodeSelectorTerm> terms;
  EW_TRY(expect_object(affinity, path));
  const Json* na = member(affinity, "nodeAffinity");
  if (!na) return terms;
  const std::string na_path = field_path(path, "nodeAffinity");
  EW_TRY(expect_object(*na, na_path));
  const Json* req = member(*na, "requiredDuringSchedulingIgnoredDuringExecution");
  if (!req) return terms;
  const std::string req_path = field_path(na_path, "requiredDuringSchedulingIgnoredDuringExecution");
  EW_TRY(expect_object(*req, req_path));
  const Json* list = member(*req, "nodeSelectorTerms");
  const std::string list_path = field_path(req_path, "nodeSelectorTerms");
  if (!list) return Error::invalid(list_path + ": is required (at least one term)");
  EW_TRY(expect_list(*list, list_path, kMaxListItems));
  if (list->empty()) return Error::invalid(list_path + ": needs at least one term");
  for (size_t i = 0; i < list->size(); ++i) {
    NodeSelectorTerm term;
    term.path = index_path(list_path, i);
    EW_TRY(expect_object((*list)[i], term.path));
    if (member((*list)[i], "matchFields")) {
      return Error::invalid(field_path(term.path, "matchFields") +
                            ": not supported by edgeward (select nodes by label with matchExpressions)");
    }
    if (const Json* exprs = member((*list)[i], "matchExpressions")) {
      const std::string exprs_path = field_path(term.path, "matchExpressions");
      EW_TRY(expect_list(*exprs, exprs_path, kMaxListItems));
      for (size_t j = 0; j < exprs->size(); ++j) {
        EW_ASSIGN(auto r, read_requirement((*exprs)[j], index_path(exprs_path, j)));
        term.match_expressions.push_back(std::move(r));
      }
    }
    terms.push_back(std::move(term));
  }
  return terms;
}

Result<std::vector<Quantity>> read_quantities(const Json& v, const std::string& path) {
  EW_TRY(expect_object(v, path));
  std::vector<Quantity> out;
  for (const auto& [name, value] : v.items()) {
    const std::string p = entry_path(path, name);
    Quantity q{name, "", 0};
    if (value.is_number()) {
      q.text = value.dump();  // cpu: 2 or 0.5 written as a number
    } else {
      EW_ASSIGN(q.text, read_string(value, p));
    }
    auto milli = parse_quantity_milli(q.text);
    if (!milli) return Error::invalid(p + ": " + milli.error().message);
    q.milli = *milli;
    out.push_back(std::move(q));
  }
  return out;
}

Result<StringPairs> read_env(const Json& v, const std::string& path) {
  EW_TRY(expect_list(v, path, kMaxListItems));
  StringPairs env;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string p = index_path(path, i);
    EW_TRY(expect_object(v[i], p));
    const Json* name = member(v[i], "name");
    if (!name) return Error::invalid(p + ": name is required");
    EW_ASSIGN(auto n, read_string(*name, field_path(p, "name")));
    if (n.empty() || n.find('=') != std::string::npos) {
      return Error::invalid(field_path(p, "name") + ": \"" + n + "\" must be non-empty and without '='");
    }
    if (member(v[i], "valueFrom")) {
      return Error::invalid(field_path(p, "valueFrom") +
                            ": not supported by edgeward (there is no API server to "
                            "read it from); give value instead");
    }
    std::string value;
    if (const Json* val = member(v[i], "value")) {
      EW_ASSIGN(value, read_string(*val, field_path(p, "value")));
    }
    env.emplace_back(std::move(n), std::move(value));
  }
  return env;
}

Result<Container> read_container(const Json& v, const std::string& path) {
  EW_TRY(expect_object(v, path));
  Container c;
  const Json* name = member(v, "name");
  if (!name) return Error::invalid(path + ": name is required");
  EW_ASSIGN(c.name, read_string(*name, field_path(path, "name")));
  EW_TRY(check(dns_name_problem(c.name, 63, false), field_path(path, "name"), c.name));
  const Json* image = member(v, "image");
  if (!image) return Error::invalid(path + ": image is required (an edgeward workload image, .ewi)");
  EW_ASSIGN(c.image, read_string(*image, field_path(path, "image")));
  if (c.image.empty()) return Error::invalid(field_path(path, "image") + ": must not be empty");
  if (const Json* x = member(v, "command")) {
    EW_ASSIGN(c.command, read_string_list(*x, field_path(path, "command"), kMaxListItems));
  }
  if (const Json* x = member(v, "args")) {
    EW_ASSIGN(c.args, read_string_list(*x, field_path(path, "args"), kMaxListItems));
  }
  if (const Json* x = member(v, "env")) {
    EW_ASSIGN(c.env, read_env(*x, field_path(path, "env")));
  }
  if (const Json* x = member(v, "workingDir")) {
    EW_ASSIGN(c.working_dir, read_string(*x, field_path(path, "workingDir")));
  }
  if (const Json* res = member(v, "resources")) {
    const std::string res_path = field_path(path, "resources");
    EW_TRY(expect_object(*res, res_path));
    if (const Json* x = member(*res, "requests")) {
      EW_ASSIGN(c.requests, read_quantities(*x, field_path(res_path, "requests")));
    }
    if (const Json* x = member(*res, "limits")) {
      EW_ASSIGN(c.limits, read_quantities(*x, field_path(res_path, "limits")));
    }
  }
  return c;
}

Status read_metadata(const Json& doc, Pod& pod) {
  const Json* meta = member(doc, "metadata");
  if (!meta) return Error::invalid("metadata: is required (with metadata.name)");
  EW_TRY(expect_object(*meta, "metadata"));
  const Json* name = member(*meta, "name");
  if (!name) return Error::invalid("metadata.name: is required");
  EW_ASSIGN(pod.name, read_string(*name, "metadata.name"));
  EW_TRY(check(dns_name_problem(pod.name, 253, true), "metadata.name", pod.name));
  if (const Json* ns = member(*meta, "namespace")) {
    EW_ASSIGN(pod.namespace_name, read_string(*ns, "metadata.namespace"));
    EW_TRY(check(dns_name_problem(pod.namespace_name, 63, false), "metadata.namespace", pod.namespace_name));
  }
  if (const Json* x = member(*meta, "labels")) {
    EW_ASSIGN(pod.labels, read_labels(*x, "metadata.labels"));
  }
  if (const Json* x = member(*meta, "annotations")) {
    EW_ASSIGN(pod.annotations, read_string_map(*x, "metadata.annotations", kMaxListItems));
  }
  return {};
}

Status read_spec(const Json& spec, Pod& pod) {
  EW_TRY(expect_object(spec, "spec"));
  if (const Json* x = member(spec, "runtimeClassName")) {
    EW_ASSIGN(pod.runtime_class_name, read_string(*x, "spec.runtimeClassName"));
  }
  if (const Json* x = member(spec, "nodeSelector")) {
    EW_ASSIGN(pod.node_selector, read_labels(*x, "spec.nodeSelector"));
  }
  if (const Json* x = member(spec, "affinity")) {
    EW_ASSIGN(pod.required_terms, read_node_affinity(*x, "spec.affinity"));
  }
  if (const Json* x = member(spec, "hostNetwork")) {
    EW_ASSIGN(pod.host_network, read_bool(*x, "spec.hostNetwork"));
  }
  if (const Json* x = member(spec, "restartPolicy")) {
    EW_ASSIGN(auto s, read_string(*x, "spec.restartPolicy"));
    if (s == "Always") {
      pod.restart_policy = RestartPolicy::kAlways;
    } else if (s == "OnFailure") {
      pod.restart_policy = RestartPolicy::kOnFailure;
    } else if (s == "Never") {
      pod.restart_policy = RestartPolicy::kNever;
    } else {
      return Error::invalid("spec.restartPolicy: \"" + s + "\" is not Always, OnFailure or Never");
    }
  }
  for (const char* unsupported : {"initContainers", "ephemeralContainers"}) {
    const Json* x = member(spec, unsupported);
    if (x && !(x->is_array() && x->empty())) {
      return Error::invalid(field_path("spec", unsupported) +
                            ": not supported by edgeward (list them under spec.containers)");
    }
  }
  const Json* containers = member(spec, "containers");
  if (!containers) return Error::invalid("spec.containers: is required (at least one container)");
  EW_TRY(expect_list(*containers, "spec.containers", kMaxContainers));
  if (containers->empty()) return Error::invalid("spec.containers: needs at least one container");
  std::set<std::string> names;
  for (size_t i = 0; i < containers->size(); ++i) {
    const std::string path = index_path("spec.containers", i);
    EW_ASSIGN(auto c, read_container((*containers)[i], path));
    if (!names.insert(c.name).second)
      return Error::invalid(path + ".name: \"" + c.name + "\" is used by another container");
    pod.containers.push_back(std::move(c));
  }
  return {};
}

Result<Pod> decode(const Json& doc) {
  if (!doc.is_object()) return Error::invalid("the manifest must be a mapping (a Pod object), got " + describe(doc));
  const Json* api = member(doc, "apiVersion");
  if (!api) return Error::invalid("apiVersion: is required (apiVersion: v1)");
  EW_ASSIGN(auto api_version, read_string(*api, "apiVersion"));
  if (api_version != "v1") return Error::invalid("apiVersion: \"" + api_version + "\" is not v1 (Pods are core/v1)");
  const Json* kind = member(doc, "kind");
  if (!kind) return Error::invalid("kind: is required (kind: Pod)");
  EW_ASSIGN(auto kind_name, read_string(*kind, "kind"));
  if (kind_name != "Pod")
    return Error::invalid("kind: \"" + kind_name + "\" is not Pod (edgeward pod run takes one Pod)");
  Pod pod;
  EW_TRY(read_metadata(doc, pod));
  const Json* spec = member(doc, "spec");
  if (!spec) return Error::invalid("spec: is required");
  EW_TRY(read_spec(*spec, pod));
  return pod;
}

}  // namespace

Result<Pod> decode_pod(const Json& doc, std::string_view source) {
  auto pod = decode(doc);
  if (!pod) return std::move(pod).error().context(std::string(source));
  return pod;
}

Result<Pod> parse_pod(std::string_view text, std::string_view source, ManifestFormat format) {
  EW_ASSIGN(auto doc, parse_manifest(text, source, format));
  return decode_pod(doc, source);
}

Result<Pod> load_pod_file(const std::string& path) {
  EW_ASSIGN(auto doc, load_manifest_file(path));
  return decode_pod(doc, path);
}

}  // namespace edgeward::k8s
