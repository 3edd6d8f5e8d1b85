// The `pod run` pipeline after admission: each admitted container goes to the launcher, in
// manifest order. When one fails, the ones already started are removed again (newest first), so
// a pod either runs whole or leaves nothing behind.
#pragma once

#include <vector>

#include "common/result.h"
#include "runtime/k8s/admission.h"
#include "runtime/k8s/launcher.h"

namespace edgeward::k8s {

// `admission` must be admitted (an error otherwise). The error of a failed launch names the
// container, and says if undoing an earlier one failed too.
Result<std::vector<LaunchedContainer>> launch_pod(const Admission& admission, PodLauncher& launcher);

}  // namespace edgeward::k8s
