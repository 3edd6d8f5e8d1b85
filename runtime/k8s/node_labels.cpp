#include "runtime/k8s/node_labels.h"

#include <unistd.h>

#include <cctype>

#include "common/board/labels.h"

namespace edgeward::k8s {

board::Board with_kubelet_labels(board::Board node, const std::string& hostname) {
  std::string host;
  for (char c : hostname) host += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!node.label("kubernetes.io/os")) node.labels.emplace_back("kubernetes.io/os", "linux");
  if (!node.label("kubernetes.io/hostname") && !host.empty() && board::label_value_problem(host).empty()) {
    node.labels.emplace_back("kubernetes.io/hostname", host);
  }
  return node;
}

std::string local_hostname() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

}  // namespace edgeward::k8s
