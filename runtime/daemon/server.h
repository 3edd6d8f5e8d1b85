// The API socket: a unix stream socket (mode 0660, group = the API group) whose every
// connection is checked with SO_PEERCRED before a byte is read (peer.h), then served on its own
// thread: frames in (at most kMaxRequestBytes), decoded, handled by the supervisor, framed out.
// A malformed frame or message gets an error response and the connection is closed.
#pragma once

#include <sys/types.h>

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "runtime/daemon/supervisor.h"

namespace edgeward::daemon {

class Server {
 public:
  // Binds `path` (a stale socket there is replaced; any other file is an error).
  static Result<Server> listen(const std::string& path, std::optional<gid_t> group);

  // Accepts until `stop` becomes true (checked every 200 ms), then shuts the open connections
  // down and waits (at most 5 s) for their threads to finish.
  void serve(Supervisor& supervisor, const std::atomic<bool>& stop);

  // Counters of this server and the process (fds, RSS) in Prometheus text format.
  std::string metrics() const;

  Server(Server&&) noexcept;
  ~Server();

 private:
  Server(UniqueFd fd, std::string path, std::optional<gid_t> group);
  void connection(int fd, Supervisor& supervisor);

  UniqueFd fd_;
  std::string path_;
  std::optional<gid_t> group_;
  struct Counters {
    std::array<std::atomic<uint64_t>, 8> requests{};
    std::atomic<uint64_t> refused{0}, malformed{0};
    std::atomic<int> active{0};
    std::mutex mu;
    std::set<int> open;  // fds of live connections, shut down on stop
  };
  std::unique_ptr<Counters> counters_ = std::make_unique<Counters>();
};

constexpr int kMaxConnections = 32;

}  // namespace edgeward::daemon
