// bench/attest: evidence generation time, verifier throughput, image verification throughput.
// Not a test (numbers depend on the machine); run by bench/attest/run, which adds sha256sum and
// openssl on the same rootfs file for comparison.
//
//   bench_attest evidence|verify SECONDS     -> figures, one line each
//   bench_attest image IMAGE CA THREADS      -> verification MB/s of a signed image
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "attest/evidence/evidence.h"
#include "attest/identity/identity.h"
#include "attest/image/image.h"
#include "attest/measure/launch.h"
#include "attest/verifier/appraise.h"

using namespace edgeward;
using namespace edgeward::attest;
using Clock = std::chrono::steady_clock;

namespace {

template <typename T>
T must(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "bench_attest: %s\n", r.error().message.c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void must(Status s) { (void)must(s.ok() ? Result<int>(0) : Result<int>(s.error())); }

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A device with a realistic state: boot measurements and three launched workloads.
struct Device {
  std::string dir = (std::filesystem::temp_directory_path() / "ew-bench-attest").string();
  PrivateKey ca_key = must(PrivateKey::generate());
  std::string ca_pem = must(issue_certificate(ca_key.pk(), {"CN=bench CA", Purpose::kCa, validity_days(1)}, ca_key, nullptr));
  CertChain ca = must(CertChain::parse(ca_pem, "ca"));
  DeviceIdentity id;
  CertChain cert;
  MeasurementState state;
  Reference ref;

  Device() {
    std::filesystem::remove_all(dir);
    id = must(open_identity(dir));
    cert = must(CertChain::parse(must(enroll_device(must(make_csr(id.keys->key(), "CN=" + id.id)), ca_key, ca, 1)), "d"));
    auto store = must(MeasurementStore::open(dir));
    must(record_boot(store, "/proc/self/exe", "A"));
    ref.runtime_versions = {current_version().version};
    for (const std::string name : {"web", "db", "cache"}) {
      Manifest m;
      m.name = name;
      m.version = "1";
      for (int c = 0; c < 3; ++c) {
        m.components.push_back({ComponentKind::kKernel, "c" + std::to_string(c), 0, 0, sha256(name + char('0' + c))});
      }
      const Digest d = sha256(name);
      must(record_launch(store, m, d, launch_config_for(m, "kvm")));
      ref.images.push_back({name, d});
    }
    state = store.state();
  }
};

void bench_evidence(double secs) {
  std::printf("crypto backend: %s\n", std::string(crypto_backend_name()).c_str());
  Device d;
  std::vector<uint8_t> nonce(32, 1);
  size_t n = 0, bytes = 0;
  const auto t = Clock::now();
  while (seconds_since(t) < secs) {
    bytes = must(make_evidence(*d.id.keys, d.cert, d.id.id, d.state, nonce, "")).size();
    ++n;
  }
  std::printf("evidence generation: %.3f ms each (%zu generated, %zu events, %zu bytes)\n",
              seconds_since(t) * 1000 / static_cast<double>(n), n, d.state.events.size(), bytes);
}

void bench_verify(double secs) {
  Device d;
  std::vector<uint8_t> nonce(32, 1);
  const auto ev = must(make_evidence(*d.id.keys, d.cert, d.id.id, d.state, nonce, ""));
  // Cold: a fresh verifier each time (chain and signature checked, nothing cached).
  {
    size_t n = 0;
    const auto t = Clock::now();
    while (seconds_since(t) < secs / 2) {
      if (!must(appraise_evidence(ev, nonce, d.ref, d.ca)).trusted) std::exit(2);
      ++n;
    }
    std::printf("verifier, cold (new device each time): %.0f verifications/s on 1 thread\n",
                static_cast<double>(n) / seconds_since(t));
  }
  // Repeat devices: one shared Verifier (its device cache warm), a batch of evidence appraised by
  // Verifier::appraise_all on 1 and 2 threads, as a fleet manager's batch path would.
  const std::vector<Verifier::Request> batch(256, Verifier::Request{ev, nonce});
  Verifier verifier(d.ca, d.ref);
  for (unsigned threads : {1u, 2u}) {
    size_t n = 0;
    const auto t = Clock::now();
    while (seconds_since(t) < secs) {
      for (auto& r : verifier.appraise_all(batch, threads)) {
        if (!r.ok() || !r->trusted) std::exit(2);
      }
      n += batch.size();
    }
    std::printf("verifier, repeat device: %.0f verifications/s on %u thread(s) (signature + replay + appraisal each; device chain cached)\n",
                static_cast<double>(n) / seconds_since(t), threads);
  }
}

void bench_image(const std::string& image, const std::string& ca_path, unsigned threads) {
  CertChain ca = must(CertChain::load(ca_path));
  const auto t = Clock::now();
  auto v = must(verify_image(image, ca, threads));
  const double s = seconds_since(t);
  uint64_t bytes = 0;
  for (const auto& c : v.manifest.components) bytes += c.size;
  std::printf("%.1f\n", static_cast<double>(bytes) / s / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "evidence" && argc == 3) {
    bench_evidence(std::atof(argv[2]));
  } else if (mode == "verify" && argc == 3) {
    bench_verify(std::atof(argv[2]));
  } else if (mode == "image" && argc == 5) {
    bench_image(argv[2], argv[3], static_cast<unsigned>(std::atoi(argv[4])));
  } else {
    std::fprintf(stderr, "usage: bench_attest evidence|verify SECONDS | image IMAGE CA THREADS\n");
    return 2;
  }
  return 0;
}
