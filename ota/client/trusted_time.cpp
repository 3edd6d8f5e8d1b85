// Trusted time: never backwards (see trusted_time.h).
#include "ota/client/trusted_time.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "attest/fileio.h"

namespace edgeward::ota::client {
namespace {

Result<int64_t> persisted(const std::string& tuf_dir) {
  const std::string path = tuf_dir + "/" + kClockFile;
  auto text = attest::read_text_file(path, 4096);
  if (!text) {
    if (text.error().code == ErrorCode::kNotFound) return int64_t{0};
    return std::move(text).error();
  }
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("trusted_time") || !j["trusted_time"].is_number_integer()) {
    return Error::invalid(path + ": expected {\"trusted_time\": <Unix seconds>}; remove it to start from the system clock");
  }
  return j["trusted_time"].get<int64_t>();
}

}  // namespace

Result<int64_t> trusted_now(const std::string& tuf_dir, int64_t system_now) {
  EW_ASSIGN(int64_t seen, persisted(tuf_dir));
  return std::max(system_now, seen);
}

Status remember_time(FileOps& ops, const std::string& tuf_dir, int64_t now) {
  EW_ASSIGN(int64_t seen, persisted(tuf_dir));
  if (now <= seen) return {};
  return durable_replace(ops, tuf_dir + "/" + kClockFile, nlohmann::json{{"trusted_time", now}}.dump() + "\n");
}

}  // namespace edgeward::ota::client
