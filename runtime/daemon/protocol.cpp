#include "runtime/daemon/protocol.h"

#include <memory>

#include "attest/pb_util.h"
#include "runtime/daemon/api.pb.h"

namespace edgeward::daemon {
namespace pb = attest::pb;
namespace {

bool name_op(Op op) { return op != Op::kPs && op != Op::kMetrics && op != Op::kRun; }

// A text that does not fit ends with "…" where it was cut, never silently mid-word.
template <size_t N>
std::string cut(const char (&)[N], std::string s) {
  static constexpr std::string_view kMark = "\u2026";
  if (s.size() >= N) s.resize(N - 1 - kMark.size()), s += kMark;
  return s;
}

template <size_t N>
Status put(char (&dst)[N], const std::string& src, const char* field) {
  if (!pb::put_string(dst, src)) {
    return Error::invalid(std::string(field) + " is longer than " + std::to_string(N - 1) + " bytes or contains NUL");
  }
  return {};
}

Status put_workload(edgeward_daemon_Workload& m, const WorkloadInfo& w) {
  EW_TRY(put(m.name, w.name, "workload name"));
  EW_TRY(put(m.image, w.image, "image path"));
  EW_TRY(put(m.image_name, cut(m.image_name, w.image_name), "image name"));
  EW_TRY(put(m.manifest_digest, w.manifest_digest, "manifest digest"));
  EW_TRY(put(m.signer, cut(m.signer, w.signer), "signer"));
  EW_TRY(put(m.backend, w.backend, "backend"));
  EW_TRY(put(m.backend_reason, cut(m.backend_reason, w.backend_reason), "backend reason"));
  EW_TRY(put(m.restart, w.restart, "restart policy"));
  EW_TRY(put(m.status, w.status, "status"));
  EW_TRY(put(m.container_id, w.container_id, "container id"));
  EW_TRY(put(m.log_path, w.log_path, "log path"));
  m.pid = w.pid;
  m.created_unix = w.created_unix;
  m.started_unix = w.started_unix;
  m.finished_unix = w.finished_unix;
  m.has_exit = w.has_exit;
  m.exit_status = w.exit_status;
  m.restarts = w.restarts;
  return {};
}

WorkloadInfo get_workload(const edgeward_daemon_Workload& m) {
  return {m.name,   m.image,        m.image_name,    m.manifest_digest, m.signer,        m.backend,
          m.backend_reason, m.restart, m.status,     m.pid,             m.created_unix,  m.started_unix,
          m.finished_unix,  m.has_exit, m.exit_status, m.restarts,      m.container_id,  m.log_path};
}

}  // namespace

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 63 || name[0] == '.' || name[0] == '-') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Response Response::failure(const Error& e) {
  Response r;
  r.code = static_cast<uint32_t>(e.code == ErrorCode{} ? ErrorCode::kInternal : e.code);
  r.error = e.message;
  return r;
}

Error Response::to_error() const {
  ErrorCode c = ErrorCode::kInternal;
  for (ErrorCode k : {ErrorCode::kInvalidInput, ErrorCode::kNotFound, ErrorCode::kIo, ErrorCode::kPermission,
                      ErrorCode::kUnsupported}) {
    if (code == static_cast<uint32_t>(k)) c = k;
  }
  return {c, error.empty() ? "the daemon reported error " + std::to_string(code) : error};
}

Result<std::vector<uint8_t>> encode_request(const Request& r) {
  edgeward_daemon_Request m = edgeward_daemon_Request_init_zero;
  m.op = static_cast<edgeward_daemon_Op>(r.op);
  EW_TRY(put(m.name, r.name, "--name"));
  EW_TRY(put(m.image, r.image, "image path"));
  EW_TRY(put(m.backend, r.backend, "--backend"));
  EW_TRY(put(m.restart, r.restart, "--restart"));
  m.timeout_s = r.timeout_s;
  m.force = r.force;
  m.offset = r.offset;
  return pb::encode(edgeward_daemon_Request_fields, m, edgeward_daemon_Request_size, "request");
}

Result<Request> decode_request(std::span<const uint8_t> bytes) {
  edgeward_daemon_Request m = edgeward_daemon_Request_init_zero;
  auto st = pb::decode(edgeward_daemon_Request_fields, m, bytes, kMaxRequestBytes, "request");
  if (!st) return Error::invalid(st.error().message);
  const int64_t op = pb::enum_value(m.op);
  if (op < static_cast<int64_t>(Op::kRun) || op > static_cast<int64_t>(Op::kMetrics)) {
    return Error::invalid("request: unknown operation " + std::to_string(op));
  }
  Request r{static_cast<Op>(op), m.name, m.image, m.backend, m.restart, m.timeout_s, m.force, m.offset};
  if (name_op(r.op) && !valid_name(r.name)) {
    return Error::invalid("request: '" + r.name + "' is not a workload name (1-63 of A-Z a-z 0-9 _ . -)");
  }
  if (r.op == Op::kRun) {
    if (!r.name.empty() && !valid_name(r.name)) {
      return Error::invalid("--name '" + r.name + "' is not a workload name (1-63 of A-Z a-z 0-9 _ . -)");
    }
    if (r.image.empty() || r.image[0] != '/') return Error::invalid("run: the image path must be absolute");
  }
  return r;
}

Result<std::vector<uint8_t>> encode_response(const Response& r) {
  auto m = std::make_unique<edgeward_daemon_Response>();
  *m = edgeward_daemon_Response_init_zero;
  m->code = r.code;
  EW_TRY(put(m->error, cut(m->error, r.error), "error"));
  EW_TRY(put(m->note, cut(m->note, r.note), "note"));
  if (r.workloads.size() > kMaxWorkloads) return Error::internal("response: more than " + std::to_string(kMaxWorkloads) + " workloads");
  m->workloads_count = static_cast<pb_size_t>(r.workloads.size());
  for (size_t i = 0; i < r.workloads.size(); ++i) EW_TRY(put_workload(m->workloads[i], r.workloads[i]));
  if (!pb::put_bytes(m->data, std::span(reinterpret_cast<const uint8_t*>(r.data.data()), r.data.size()))) {
    return Error::internal("response: data chunk larger than " + std::to_string(kMaxDataBytes) + " bytes");
  }
  m->offset = r.offset;
  m->eof = r.eof;
  auto out = pb::encode(edgeward_daemon_Response_fields, *m, edgeward_daemon_Response_size, "response");
  if (!out) return Error::internal(out.error().message);
  return out;
}

Result<Response> decode_response(std::span<const uint8_t> bytes) {
  auto m = std::make_unique<edgeward_daemon_Response>();
  *m = edgeward_daemon_Response_init_zero;
  auto st = pb::decode(edgeward_daemon_Response_fields, *m, bytes, kMaxResponseBytes, "response");
  if (!st) return Error::invalid(st.error().message);
  Response r;
  r.code = m->code;
  r.error = m->error;
  r.note = m->note;
  for (pb_size_t i = 0; i < m->workloads_count; ++i) r.workloads.push_back(get_workload(m->workloads[i]));
  r.data.assign(reinterpret_cast<const char*>(m->data.bytes), m->data.size);
  r.offset = m->offset;
  r.eof = m->eof;
  return r;
}

}  // namespace edgeward::daemon
