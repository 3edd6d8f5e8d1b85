#include "runtime/daemon/server.h"

#include <dirent.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <thread>

#include "common/dir_tree.h"
#include "common/errno_error.h"
#include "common/text/writer.h"
#include "runtime/daemon/frame.h"
#include "runtime/daemon/peer.h"
#include "runtime/daemon/socket_address.h"

namespace edgeward::daemon {
namespace {

constexpr const char* kOpNames[] = {"none", "run", "ps", "stop", "inspect", "rm", "logs", "metrics"};

void send_response(int fd, const Response& r) {
  if (auto bytes = encode_response(r)) (void)write_frame(fd, *bytes);
}

uint64_t count_fds() {
  uint64_t n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  if (d == nullptr) return 0;
  while (const dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
  ::closedir(d);
  return n > 0 ? n - 1 : 0;  // minus the listing's own descriptor
}

uint64_t resident_bytes() {
  FILE* f = std::fopen("/proc/self/statm", "re");
  if (!f) return 0;
  unsigned long size = 0, rss = 0;
  const int n = std::fscanf(f, "%lu %lu", &size, &rss);
  std::fclose(f);
  return n == 2 ? rss * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace

Server::Server(UniqueFd fd, std::string path, std::optional<gid_t> group)
    : fd_(std::move(fd)), path_(std::move(path)), group_(group) {}
Server::Server(Server&&) noexcept = default;
Server::~Server() {
  if (fd_.valid()) ::unlink(path_.c_str());
}

Result<Server> Server::listen(const std::string& path, std::optional<gid_t> group) {
  EW_ASSIGN(sockaddr_un addr, socket_address(path));
  const auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    (void)make_dirs(path.substr(0, slash));
  }
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return Error::invalid(path + " exists and is not a socket; remove it or pick --socket");
    UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (::connect(probe.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      return Error::invalid("another daemon is listening on " + path);
    }
    ::unlink(path.c_str());
  }
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return errno_error("socket");
  const mode_t old = ::umask(0117);  // never world-accessible, not even for an instant
  const int rc = ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::umask(old);
  if (rc != 0) return errno_error("binding " + path);
  if (::chmod(path.c_str(), 0660) != 0) return errno_error("chmod " + path);
  if (group && ::chown(path.c_str(), 0, *group) != 0) return errno_error("chown " + path);
  if (::listen(fd.get(), 64) != 0) return errno_error("listen " + path);
  return Server(std::move(fd), path, group);
}

void Server::serve(Supervisor& supervisor, const std::atomic<bool>& stop) {
  while (!stop.load()) {
    pollfd p{fd_.get(), POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    UniqueFd c(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!c.valid()) continue;
    if (counters_->active.load() >= kMaxConnections) {
      send_response(c.get(), Response::failure(Error::io("the daemon is busy (too many connections); try again")));
      continue;
    }
    ++counters_->active;
    {
      std::lock_guard lock(counters_->mu);
      counters_->open.insert(c.get());
    }
    std::thread([this, &supervisor, fd = std::move(c)]() mutable {
      connection(fd.get(), supervisor);
      {
        std::lock_guard lock(counters_->mu);
        counters_->open.erase(fd.get());
        fd.reset();
      }
      --counters_->active;
    }).detach();
  }
  {
    std::lock_guard lock(counters_->mu);
    for (int fd : counters_->open) ::shutdown(fd, SHUT_RDWR);
  }
  for (int i = 0; i < 250 && counters_->active.load() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

void Server::connection(int fd, Supervisor& supervisor) {
  auto peer = peer_credentials(fd);
  Status allowed = peer ? check_peer(*peer, group_) : Status(std::move(peer).error());
  if (!allowed) {
    ++counters_->refused;
    send_response(fd, Response::failure(allowed.error()));
    return;
  }
  const timeval tv{60, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  for (;;) {
    auto frame = read_frame(fd, kMaxRequestBytes);
    if (!frame) {
      ++counters_->malformed;
      send_response(fd, Response::failure(frame.error()));
      return;
    }
    if (!*frame) return;  // closed
    auto req = decode_request(**frame);
    if (!req) {
      ++counters_->malformed;
      send_response(fd, Response::failure(req.error()));
      return;
    }
    ++counters_->requests[static_cast<size_t>(req->op)];
    Response resp = supervisor.handle(*req);
    if (req->op == Op::kMetrics) resp.data += metrics();
    auto bytes = encode_response(resp);
    if (!bytes) bytes = encode_response(Response::failure(bytes.error()));
    if (!bytes || !write_frame(fd, *bytes)) return;
  }
}

std::string Server::metrics() const {
  text::Writer o;
  o << "# HELP edgeward_api_requests_total API requests by operation.\n# TYPE edgeward_api_requests_total counter\n";
  for (size_t i = 1; i < counters_->requests.size(); ++i) {
    o << "edgeward_api_requests_total{op=\"" << kOpNames[i] << "\"} " << counters_->requests[i].load() << "\n";
  }
  o << "# HELP edgeward_api_refused_total Connections refused by the permission check.\n"
       "# TYPE edgeward_api_refused_total counter\nedgeward_api_refused_total "
    << counters_->refused.load() << "\n"
    << "# HELP edgeward_api_malformed_total Connections closed for a malformed frame or message.\n"
       "# TYPE edgeward_api_malformed_total counter\nedgeward_api_malformed_total "
    << counters_->malformed.load() << "\n"
    << "# HELP edgeward_daemon_open_fds Open file descriptors of the daemon.\n# TYPE edgeward_daemon_open_fds gauge\n"
    << "edgeward_daemon_open_fds " << count_fds() << "\n"
    << "# HELP edgeward_daemon_resident_bytes Resident memory of the daemon.\n"
       "# TYPE edgeward_daemon_resident_bytes gauge\nedgeward_daemon_resident_bytes "
    << resident_bytes() << "\n";
  return o.str();
}

}  // namespace edgeward::daemon
