// The labels a node has in a cluster: its board's labels (boards/*.xml) plus the well-known ones
// every kubelet sets itself (kubernetes.io/os, kubernetes.io/hostname), so pods that select on
// those (common in published charts) are judged as the scheduler would judge them.
#pragma once

#include <string>

#include "common/board/board.h"

namespace edgeward::k8s {

// `node` with kubernetes.io/os=linux and kubernetes.io/hostname=<hostname, lowercased> appended
// where the board does not set them itself (an unusable hostname is left out).
board::Board with_kubelet_labels(board::Board node, const std::string& hostname);

// This machine's host name (empty when unknown).
std::string local_hostname();

}  // namespace edgeward::k8s
