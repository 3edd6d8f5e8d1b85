// The daemon's API messages (api.proto) as C++ values, and their codec. The decoders are the
// parsers for hostile bytes from the socket (fuzzed in tests/fuzz/daemon_protocol_fuzz.cpp): they
// check structure and ranges only; whether the caller may do it is server.cpp's business.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward::daemon {

enum class Op { kRun = 1, kPs = 2, kStop = 3, kInspect = 4, kRm = 5, kLogs = 6, kMetrics = 7 };

constexpr size_t kMaxRequestBytes = 4096;
constexpr size_t kMaxResponseBytes = 64 * 1024;
constexpr size_t kMaxWorkloads = 32;          // per daemon (one response lists them all)
constexpr size_t kMaxDataBytes = 16 * 1024;   // one LOGS chunk or the METRICS text

struct Request {
  Op op = Op::kPs;
  std::string name;
  std::string image;
  std::string backend;
  std::string restart;
  uint32_t timeout_s = 0;
  bool force = false;
  uint64_t offset = 0;
  bool operator==(const Request&) const = default;
};

struct WorkloadInfo {
  std::string name, image, image_name, manifest_digest, signer, backend, backend_reason, restart, status;
  int32_t pid = 0;
  int64_t created_unix = 0, started_unix = 0, finished_unix = 0;
  bool has_exit = false;
  int32_t exit_status = 0;
  uint32_t restarts = 0;
  std::string container_id, log_path;
  bool operator==(const WorkloadInfo&) const = default;
};

struct Response {
  uint32_t code = 0;  // 0 ok, else an ErrorCode value
  std::string error;
  std::vector<WorkloadInfo> workloads;
  std::string data;
  uint64_t offset = 0;
  bool eof = false;
  std::string note;
  bool operator==(const Response&) const = default;

  static Response failure(const Error& e);
  bool ok() const { return code == 0; }
  Error to_error() const;  // for a failed response
};

// A workload name: 1..63 of [A-Za-z0-9_.-], not starting with '.' or '-'.
bool valid_name(std::string_view name);

Result<std::vector<uint8_t>> encode_request(const Request& r);
// Refuses unknown ops, oversized or NUL-containing strings, invalid names for the ops that take one.
Result<Request> decode_request(std::span<const uint8_t> bytes);
// Strings that do not fit are cut (an error message) or refused (names, paths).
Result<std::vector<uint8_t>> encode_response(const Response& r);
Result<Response> decode_response(std::span<const uint8_t> bytes);

}  // namespace edgeward::daemon
