#include "runtime/daemon/daemon.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include "attest/measure/launch.h"
#include "runtime/daemon/server.h"

namespace edgeward::daemon {
namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }

// systemd's readiness protocol (Type=notify): one datagram "READY=1" to $NOTIFY_SOCKET.
void notify_ready() {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || !*path || std::strlen(path) >= sizeof(sockaddr_un::sun_path)) return;
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, path, std::strlen(path));
  if (a.sun_path[0] == '@') a.sun_path[0] = '\0';  // abstract namespace
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  const char msg[] = "READY=1";
  (void)::sendto(fd, msg, sizeof msg - 1, 0, reinterpret_cast<sockaddr*>(&a),
                 static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + std::strlen(path)));
  ::close(fd);
}

}  // namespace

Status run_daemon(DaemonConfig config) {
  config.fill_defaults();
  std::error_code ec;
  std::filesystem::create_directories(config.attest_dir, ec);
  if (ec) return Error::io("creating " + config.attest_dir + ": " + ec.message());
  {
    EW_ASSIGN(auto store, attest::MeasurementStore::open(config.attest_dir));
    EW_TRY(attest::record_boot(store, "/proc/self/exe", config.slot));
    std::cerr << "edgeward daemon: measured boot " << store.state().boot_count << " (slot " << config.slot << ")\n";
  }
  // The socket first: its directory is created 0755 before the container root (0700) below it.
  // Connections wait in the backlog until the supervisor has re-adopted what was running.
  EW_ASSIGN(auto server, Server::listen(config.socket_path, config.group));
  EW_ASSIGN(auto supervisor, Supervisor::open(config));
  for (const auto& line : supervisor->adopt_log()) std::cerr << "edgeward daemon: " << line << "\n";

  struct sigaction sa{};
  sa.sa_handler = on_signal;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  std::thread ticker([&] {
    while (!g_stop.load()) {
      supervisor->tick();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  std::cerr << "edgeward daemon: listening on " << config.socket_path << "\n";
  notify_ready();
  server.serve(*supervisor, g_stop);
  ticker.join();
  std::cerr << "edgeward daemon: stopping (workloads keep running; the next daemon adopts them)\n";
  return {};
}

}  // namespace edgeward::daemon
