#include "runtime/cli/workload_show.h"

#include <cstdio>
#include <cstdlib>

#include "common/text/writer.h"
#include "common/utc_time.h"

namespace edgeward::cli {
namespace {

std::string when(int64_t unix) {
  if (!unix) return "-";
  return rfc3339_utc(unix);
}

std::string status_text(const daemon::WorkloadInfo& w) {
  if (w.status == "running" || w.status == "created" || !w.has_exit) return w.status;
  return w.status + " (" + std::to_string(w.exit_status) + ")";
}

}  // namespace

const Option kSocketOption{"socket", "PATH", "daemon socket (default $EDGEWARD_SOCKET or /run/edgeward/edgeward.sock)"};

std::string socket_path(const ParsedArgs& p) {
  if (auto s = p.value("socket")) return *s;
  const char* env = std::getenv("EDGEWARD_SOCKET");
  return env && *env ? env : daemon::kDefaultSocket;
}

Result<daemon::Response> call_daemon(const ParsedArgs& p, const daemon::Request& r) {
  EW_ASSIGN(auto client, daemon::Client::connect(socket_path(p)));
  return client.call(r);
}

nlohmann::ordered_json workload_json(const daemon::WorkloadInfo& w) {
  nlohmann::ordered_json j{{"name", w.name},
                           {"status", w.status},
                           {"pid", w.pid},
                           {"backend", w.backend},
                           {"backend_reason", w.backend_reason},
                           {"image", w.image},
                           {"image_name", w.image_name},
                           {"manifest_digest", w.manifest_digest},
                           {"signer", w.signer},
                           {"restart", w.restart},
                           {"restarts", w.restarts},
                           {"created_unix", w.created_unix},
                           {"started_unix", w.started_unix},
                           {"finished_unix", w.finished_unix},
                           {"exit_status", nullptr},
                           {"container_id", w.container_id},
                           {"log_path", w.log_path}};
  if (w.has_exit) j["exit_status"] = w.exit_status;
  return j;
}

void print_table(const std::vector<daemon::WorkloadInfo>& ws) {
  std::printf("%-24s %-8s %-14s %-8s %-9s %s\n", "NAME", "BACKEND", "STATUS", "PID", "RESTARTS", "IMAGE");
  for (const auto& w : ws) {
    std::printf("%-24s %-8s %-14s %-8s %-9u %s\n", w.name.c_str(), w.backend.c_str(), status_text(w).c_str(),
                w.pid ? std::to_string(w.pid).c_str() : "-", w.restarts, w.image_name.c_str());
  }
}

void print_detail(const daemon::WorkloadInfo& w) {
  text::out() << "name:      " << w.name << "\nstatus:    " << status_text(w) << "\npid:       "
            << (w.pid ? std::to_string(w.pid) : "-") << "\nbackend:   " << w.backend << " (" << w.backend_reason
            << ")\nimage:     " << w.image_name << " (" << w.image << ")\nmanifest:  sha256:" << w.manifest_digest
            << "\nsigner:    " << w.signer << "\nrestart:   " << w.restart << ", " << w.restarts
            << " restarts\ncreated:   " << when(w.created_unix) << "\nstarted:   " << when(w.started_unix)
            << "\nfinished:  " << when(w.finished_unix) << "\ncontainer: " << w.container_id
            << "\nlog:       " << w.log_path << "\n";
}

}  // namespace edgeward::cli
