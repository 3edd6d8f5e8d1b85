// The CLI's side of the API: connect to the daemon's socket, send a request, read the response.
#pragma once

#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "runtime/daemon/protocol.h"

namespace edgeward::daemon {

constexpr const char* kDefaultSocket = "/run/edgeward/edgeward.sock";

class Client {
 public:
  // The error says whether the daemon is not running or access was refused.
  static Result<Client> connect(const std::string& socket_path);
  // A failed response becomes an Error (with the daemon's message and code).
  Result<Response> call(const Request& r);

 private:
  explicit Client(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  UniqueFd fd_;
  std::string path_;
};

}  // namespace edgeward::daemon
