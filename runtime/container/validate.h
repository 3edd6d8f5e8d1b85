// Checks a WorkloadSpec before anything is created, with messages naming the field.
#pragma once

#include "common/result.h"
#include "runtime/container/container.h"

namespace edgeward::runtime {

edgeward::Status validate_workload(const WorkloadSpec& w);

}  // namespace edgeward::runtime
