#include "runtime/k8s/pod_report.h"

#include "common/text/writer.h"
#include "common/units.h"

namespace edgeward::k8s {
namespace {

std::string_view restart_name(RestartPolicy p) {
  switch (p) {
    case RestartPolicy::kAlways: return "Always";
    case RestartPolicy::kOnFailure: return "OnFailure";
    case RestartPolicy::kNever: return "Never";
  }
  return "Always";
}

ReportJson pairs_json(const StringPairs& pairs) {
  ReportJson j = ReportJson::object();
  for (const auto& [k, v] : pairs) j[k] = v;
  return j;
}

ReportJson container_json(const AdmittedContainer& c) {
  return ReportJson{{"name", c.container_name},
                    {"workload_name", c.workload_name},
                    {"image", c.image},
                    {"image_kind", c.image_kind == ImageKind::kFile ? "file" : "name"},
                    {"command", c.command},
                    {"args", c.args},
                    {"env", pairs_json(c.env)},
                    {"working_dir", c.working_dir},
                    {"backend", backend_name(c.backend)},
                    {"backend_reason", c.backend_reason},
                    {"memory_request_bytes", c.memory_request_bytes},
                    {"memory_limit_bytes", c.memory_limit_bytes},
                    {"cpu_request_millis", c.cpu_request_millis},
                    {"cpu_limit_millis", c.cpu_limit_millis},
                    {"restart_policy", restart_name(c.restart_policy)},
                    {"host_network", c.host_network}};
}

std::string amount(uint64_t request, uint64_t limit, bool bytes) {
  auto one = [bytes](uint64_t v) { return bytes ? format_size(v) : std::to_string(v) + "m"; };
  std::string s = "request " + (request ? one(request) : "none");
  return s + ", limit " + (limit ? one(limit) : "none (launcher default)");
}

std::string joined(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::string s;
  for (const auto* list : {&a, &b}) {
    for (const auto& w : *list) s += (s.empty() ? "" : " ") + w;
  }
  return s;
}

}  // namespace

ReportJson admission_json(const Admission& a, const board::Board& node) {
  ReportJson j{{"pod", a.pod}, {"board", a.board}, {"admitted", a.admitted()}};
  ReportJson rejections = ReportJson::array();
  for (const Rejection& r : a.rejections) rejections.push_back({{"field", r.path}, {"reason", r.reason}});
  j["rejections"] = rejections;
  ReportJson labels = ReportJson::object();
  for (const auto& [k, v] : node.labels) labels[k] = v;
  j["node_labels"] = labels;
  ReportJson containers = ReportJson::array();
  for (const AdmittedContainer& c : a.containers) containers.push_back(container_json(c));
  j["containers"] = containers;
  return j;
}

ReportJson launched_json(const std::vector<LaunchedContainer>& launched) {
  ReportJson out = ReportJson::array();
  for (const auto& l : launched)
    out.push_back({{"workload_name", l.workload_name}, {"id", l.id}, {"detail", l.detail}});
  return out;
}

std::string plan_text(const Admission& a) {
  text::Writer o;
  o << "pod " << a.pod << " admitted on board " << a.board << "; would launch " << a.containers.size()
    << " container(s):\n";
  for (const AdmittedContainer& c : a.containers) {
    const std::string cmd = joined(c.command, c.args);
    o << "  " << c.container_name << "\n"
      << "    workload: " << c.workload_name << "\n"
      << "    image:    " << c.image << (c.image_kind == ImageKind::kFile ? " (signed image file)" : " (image by name)")
      << "\n"
      << "    command:  " << (c.command.empty() ? "(image entrypoint)" + (cmd.empty() ? "" : " " + cmd) : cmd) << "\n"
      << "    backend:  " << c.backend_reason << "\n"
      << "    memory:   " << amount(c.memory_request_bytes, c.memory_limit_bytes, true) << "\n"
      << "    cpu:      " << amount(c.cpu_request_millis, c.cpu_limit_millis, false) << "\n"
      << "    restart:  " << restart_name(c.restart_policy) << (c.host_network ? ", host network" : "") << "\n";
    for (const auto& [k, v] : c.env) o << "    env:      " << k << "=" << v << "\n";
  }
  return o.str();
}

}  // namespace edgeward::k8s
