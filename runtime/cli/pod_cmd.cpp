// `edgeward pod run POD.yaml|POD.json`: parse a Kubernetes Pod, admit it against this node's board
// labels (runtime/k8s/admission.h), then hand each container to the daemon (or, with --dry-run,
// show what would run).
#include <memory>

#include "common/board/embedded_boards.h"
#include "common/text/writer.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"
#include "runtime/cli/pod_launcher.h"
#include "runtime/cli/workload_show.h"
#include "runtime/k8s/admission.h"
#include "runtime/k8s/node_labels.h"
#include "runtime/k8s/pod_parser.h"
#include "runtime/k8s/pod_report.h"
#include "runtime/k8s/pod_run.h"

namespace edgeward::cli {

int pod_run(Args args) {
  const ArgParser parser(
      "edgeward pod run POD.yaml|POD.json [--board NAME|FILE] [--dry-run] [--json]",
      "Run a Kubernetes Pod (core/v1, YAML or JSON) on this node. The pod is admitted only when its\n"
      "spec.runtimeClassName is \"edgeward\", its spec.nodeSelector and required node affinity match this\n"
      "node's labels (the board's, plus kubernetes.io/os and kubernetes.io/hostname), its images are edgeward workload "
      "images (.ewi or ewi://NAME) and\n"
      "its resource requests parse and fit the board. A rejection names each failing field and what the\n"
      "node has (exit code 2). The edgeward.io/backend annotation picks auto|vm|sandbox.",
      {{"board", "NAME|FILE", "the node's board: a built-in name or a board XML file (default: this binary's)"},
       {"dry-run", "", "admit and show what would run, start nothing"},
       {"json", "", "print the decision (and launched containers) as JSON on stdout"},
       kSocketOption});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  if (parsed->positional().size() != 1)
    return report(Error::invalid("pod run takes one manifest file (POD.yaml or POD.json)"));
  auto node_board = board::resolve_board(parsed->value_or("board", ""));
  if (!node_board) return report(node_board.error());
  const board::Board node = k8s::with_kubelet_labels(std::move(node_board).value(), k8s::local_hostname());
  auto pod = k8s::load_pod_file(parsed->positional()[0]);
  if (!pod) return report(pod.error());

  const k8s::Admission admission = k8s::admit(*pod, node);
  const bool json = parsed->flag("json");
  k8s::ReportJson out = k8s::admission_json(admission, node);
  if (!admission.admitted()) {
    if (json) text::out() << out.dump(2) << "\n";
    return report(Error::invalid(admission.explain(node)));
  }
  if (parsed->flag("dry-run")) {
    out["dry_run"] = true;
    if (json) {
      text::out() << out.dump(2) << "\n";
    } else {
      text::out() << k8s::plan_text(admission);
    }
    return kExitOk;
  }
  // Admitted containers run under the daemon, like `edgeward run IMAGE`; relative image paths are
  // relative to the manifest.
  const std::string& file = parsed->positional()[0];
  const size_t slash = file.rfind('/');
  auto launcher = make_daemon_pod_launcher(socket_path(*parsed), slash == std::string::npos ? "." : file.substr(0, slash));
  auto launched = k8s::launch_pod(admission, *launcher);
  if (!launched) return report(launched.error());
  if (json) {
    out["launched"] = k8s::launched_json(*launched);
    text::out() << out.dump(2) << "\n";
  } else {
    for (const auto& l : *launched) text::out() << l.workload_name << " " << l.id << " " << l.detail << "\n";
  }
  return kExitOk;
}

}  // namespace edgeward::cli
