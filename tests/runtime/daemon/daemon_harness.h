// End-to-end harness: a development PKI, signed images with a busybox rootfs (built with the
// real `edgeward keys gen / image build / image sign`), and a real `edgeward daemon` process on a
// private socket and state directory, driven through the real CLI.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace edgeward::daemon::testing {

struct CliResult {
  int exit = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class Harness {
 public:
  Harness() {
    std::string t = (std::filesystem::temp_directory_path() / "ew-daemon-XXXXXX").string();
    dir_ = ::mkdtemp(t.data());
    ::chmod(dir_.c_str(), 0755);  // other users reach the socket (the permission test)
  }
  ~Harness() {
    // Workloads of this test must not outlive it.
    if (daemon_pid_ > 0) {
      for (const auto& name : names_) cli({"rm", "--force", name});
    }
    stop_daemon();
    std::filesystem::remove_all(dir_);
  }

  const std::string& dir() const { return dir_; }
  std::string socket() const { return dir_ + "/run/ew.sock"; }
  std::string state() const { return dir_ + "/state"; }

  CliResult cli(std::vector<std::string> args) const {
    std::string cmd = quote(EW_BINARY);
    for (const auto& a : args) cmd += " " + quote(a);
    const std::string out = dir_ + "/cli.out", err = dir_ + "/cli.err";
    cmd = "EDGEWARD_SOCKET=" + quote(socket()) + " " + cmd + " >" + quote(out) + " 2>" + quote(err);
    const int st = std::system(cmd.c_str());
    return {WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), slurp(out), slurp(err)};
  }

  // keys gen + a rootfs archive with busybox and the given scripts (path -> content).
  void make_pki_and_rootfs(const std::map<std::string, std::string>& scripts) {
    ASSERT_EQ(cli({"keys", "gen", "--out", dir_ + "/pki", "--days", "30"}).exit, 0);
    ASSERT_EQ(cli({"keys", "gen", "--out", dir_ + "/other-pki", "--days", "30"}).exit, 0);
    const std::string root = dir_ + "/rootfs";
    std::filesystem::create_directories(root + "/bin");
    std::filesystem::copy_file(std::string(EW_SANDBOX_ROOTFS) + "/bin/busybox", root + "/bin/busybox");
    std::filesystem::create_symlink("busybox", root + "/bin/sh");
    // A program that crashes (`crash null|ud2|...`, tests/runtime/sandbox/programs/crash.c).
    std::filesystem::copy_file(std::string(EW_SANDBOX_ROOTFS) + "/programs/crash", root + "/bin/crash");
    for (const auto& [path, content] : scripts) {
      std::ofstream(root + path) << content;
      ::chmod((root + path).c_str(), 0755);
    }
    ASSERT_EQ(std::system(("tar -cf " + quote(dir_ + "/rootfs.tar") + " -C " + quote(root) + " .").c_str()), 0);
  }

  // Builds and signs an image; `pki` picks the signer ("pki" or "other-pki").
  std::string image(const std::string& name, const std::string& entry, const std::string& archive = "",
                    const std::string& pki = "pki", bool sign = true) {
    const std::string path = dir_ + "/" + name + ".ewi";
    auto b = cli({"image", "build", "--out", path, "--name", name, "--version", "1.0", "--rootfs-archive",
                  archive.empty() ? dir_ + "/rootfs.tar" : archive, "--entry", entry, "--memory", "64MiB"});
    EXPECT_EQ(b.exit, 0) << b.err;
    if (sign) {
      auto s = cli({"image", "sign", path, "--key", dir_ + "/" + pki + "/signer.key", "--cert",
                    dir_ + "/" + pki + "/signer.crt"});
      EXPECT_EQ(s.exit, 0) << s.err;
    }
    return path;
  }

  // `launcher`: what runs the daemon (default EW_BINARY daemon; e.g. `edgeward ota boot -- daemon`).
  void start_daemon(std::vector<std::string> extra = {}, std::vector<std::string> launcher = {EW_BINARY, "daemon"}) {
    std::vector<std::string> args = launcher;
    args.insert(args.end(), {"--state-dir", state(), "--socket", socket(), "--ca", dir_ + "/pki/ca.crt"});
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string log = dir_ + "/daemon.log";
    daemon_pid_ = ::fork();
    if (daemon_pid_ == 0) {
      std::freopen(log.c_str(), "a", stderr);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 100; ++i) {
      if (slurp(log).find("listening on") != std::string::npos &&
          slurp(log).rfind("listening on") > last_log_size_) {
        last_log_size_ = slurp(log).size();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "the daemon did not start:\n" << slurp(log);
  }

  void kill_daemon(int sig) {
    if (daemon_pid_ <= 0) return;
    ::kill(daemon_pid_, sig);
    ::waitpid(daemon_pid_, nullptr, 0);
    daemon_pid_ = -1;
  }
  void stop_daemon() { kill_daemon(SIGTERM); }
  // Waits until the daemon ends by itself (up to `timeout_ms`); its exit code, or -1.
  int wait_daemon(int timeout_ms) {
    int status = 0;
    for (int waited = 0; daemon_pid_ > 0 && waited < timeout_ms; waited += 50) {
      if (::waitpid(daemon_pid_, &status, WNOHANG) == daemon_pid_) {
        daemon_pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }
  pid_t daemon_pid() const { return daemon_pid_; }
  std::string daemon_log() const { return slurp(dir_ + "/daemon.log"); }

  // Names to force-remove at the end.
  void track(const std::string& name) { names_.push_back(name); }

  // Polls until `pred` holds (or ~timeout); returns whether it held.
  static bool eventually(const std::function<bool()>& pred, int timeout_ms = 10000) {
    for (int waited = 0; waited < timeout_ms; waited += 50) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
  }

 private:
  std::string dir_;
  pid_t daemon_pid_ = -1;
  size_t last_log_size_ = 0;
  std::vector<std::string> names_;
};

}  // namespace edgeward::daemon::testing
