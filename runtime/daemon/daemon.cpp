#include "runtime/daemon/daemon.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <thread>

#include "attest/crypto/sha256.h"
#include "attest/fileio.h"
#include "attest/identity/identity.h"
#include "attest/measure/launch.h"
#include "common/dir_tree.h"
#include "common/text/writer.h"
#include "runtime/daemon/server.h"
#include "runtime/daemon/socket_address.h"

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

// The machine's boot, this binary and the slot: unchanged means a daemon restart within the same
// boot, whose measurements (and the launches of the workloads it re-adopts) must stay in the log.
Result<std::string> boot_marker(const std::string& slot) {
  EW_ASSIGN(std::string boot_id, attest::read_text_file("/proc/sys/kernel/random/boot_id", 64));
  EW_ASSIGN(attest::Digest self, attest::sha256_file("/proc/self/exe"));
  return boot_id.substr(0, boot_id.find('\n')) + " " + attest::to_hex(self) + " slot=" + slot + "\n";
}

// A new measured boot (attest::record_boot) once per machine boot, binary and slot.
Status measure_boot(const DaemonConfig& config) {
  EW_ASSIGN(auto store, attest::MeasurementStore::open(config.attest_dir));
  const std::string marker_path = config.attest_dir + "/daemon-boot";
  EW_ASSIGN(const std::string marker, boot_marker(config.slot));
  auto previous = attest::read_text_file(marker_path, 256);
  if (previous && *previous == marker && store.state().boot_count > 0) {
    text::err() << "edgeward daemon: same boot, binary and slot as the previous daemon: measured boot "
              << store.state().boot_count << " continues\n";
    return {};
  }
  EW_TRY(attest::record_boot(store, "/proc/self/exe", config.slot));
  EW_TRY(attest::write_file_atomic(marker_path, marker, 0600));
  text::err() << "edgeward daemon: measured boot " << store.state().boot_count << " (slot " << config.slot << ")\n";
  return {};
}

}  // namespace

Status run_daemon(DaemonConfig config, DaemonOta ota) {
  config.fill_defaults();
  EW_TRY(socket_address(config.socket_path));  // a bad --socket fails before anything is measured or created
  EW_TRY(make_dirs(config.attest_dir));
  EW_TRY(measure_boot(config));
  // The attestation key is created on the first start; the fleet enrolls its CSR (attest enroll).
  EW_ASSIGN(auto identity, attest::open_identity(config.attest_dir));
  text::err() << "edgeward daemon: device id " << identity.id << " (csr " << identity.csr_path << ")\n";
  // The socket first: its directory is created 0755 before the container root (0700) below it.
  // Connections wait in the backlog until the supervisor has re-adopted what was running.
  EW_ASSIGN(auto server, Server::listen(config.socket_path, config.group));
  EW_ASSIGN(auto supervisor, Supervisor::open(config));
  for (const auto& line : supervisor->adopt_log()) text::err() << "edgeward daemon: " << line << "\n";

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
  text::err() << "edgeward daemon: listening on " << config.socket_path << "\n";
  notify_ready();
  ota.trial.socket_path = config.socket_path;
  ota.updater.attest_dir = config.attest_dir;
  ota.trial.stopping = &g_stop;
  std::string rolled_back;
  std::thread trial([&] {  // calls the API socket: runs while serve() answers
    auto r = settle_trial(ota.trial);
    if (!r) {
      text::err() << "edgeward daemon: OTA: " << r.error().message << "\n";
    } else if (!r->message.empty()) {
      text::err() << "edgeward daemon: " << r->message << "\n";
    }
    if (r && r->outcome == TrialOutcome::kRolledBack) {
      rolled_back = r->message;
      g_stop = true;
    }
  });
  OtaUpdater updater(ota.updater, [&](const Request& r) -> Result<Response> {
    Response resp = supervisor->handle(r);
    if (!resp.ok()) return resp.to_error();
    return resp;
  });
  std::thread updates([&] { updater.run(g_stop); });
  server.serve(*supervisor, g_stop);
  trial.join();
  updates.join();
  ticker.join();
  if (!rolled_back.empty()) {
    return Error::io(rolled_back + "; this daemon stops so that the next `edgeward ota boot` starts the slot known good");
  }
  text::err() << "edgeward daemon: stopping (workloads keep running; the next daemon adopts them)\n";
  return {};
}

}  // namespace edgeward::daemon
