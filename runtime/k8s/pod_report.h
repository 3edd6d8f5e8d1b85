// How `edgeward pod run` shows an admission decision and a launch: JSON (--json) and text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/board/board.h"
#include "runtime/k8s/admission.h"
#include "runtime/k8s/launcher.h"

namespace edgeward::k8s {

// Ordered keys, as every edgeward --json output (and the same instantiation as theirs).
using ReportJson = nlohmann::ordered_json;

// {"pod", "board", "admitted", "rejections": [{"field", "reason"}], "node_labels": {...},
//  "containers": [...what each container would run with...]}
ReportJson admission_json(const Admission& a, const board::Board& node);
ReportJson launched_json(const std::vector<LaunchedContainer>& launched);

// The plan of an admitted pod, one block per container (for --dry-run).
std::string plan_text(const Admission& a);

}  // namespace edgeward::k8s
