// A board: what edgeward knows about the device it is built for and runs on.
// Parsed from one XML file under boards/ (see board_parser.h); data only, no policy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeward::board {

enum class Arch { kX86_64, kAarch64 };

std::string_view arch_name(Arch a);
// Kubernetes' name for the arch (kubernetes.io/arch): amd64 or arm64.
std::string_view arch_k8s_name(Arch a);

struct Console {
  std::string device;  // e.g. ttyS0, ttyAMA0
  uint32_t baud = 115200;
};

struct Slot {
  std::string name;  // "A" or "B"
  std::string path;  // absolute path of the slot's storage
};

struct Storage {
  std::vector<Slot> slots;  // exactly A and B
  std::string data_path;    // absolute path of edgeward's state directory
};

// The host id ranges that workloads' user namespaces map to when edgeward runs as root
// (runtime/sandbox/id_range.h): `ranges` ranges of `size` ids from `base`. The defaults lie above
// /etc/subuid's and systemd-nspawn's ranges and below 2^31 (id_range.h says why).
struct UserNamespaces {
  uint32_t base = 1879048192;  // 0x70000000
  uint32_t ranges = 1024;
  uint32_t size = 65536;
};

struct Board {
  std::string name;
  std::string description;
  Arch arch = Arch::kX86_64;
  std::string toolchain;  // name of a file toolchains/<toolchain>.cmake
  uint64_t memory_bytes = 0;
  uint32_t cpus = 0;
  bool kvm_expected = false;
  Console console;
  Storage storage;
  UserNamespaces userns;
  std::vector<std::pair<std::string, std::string>> labels;  // node labels, in file order

  // The label's value, or nullptr when the board has no such label.
  const std::string* label(std::string_view key) const;
};

}  // namespace edgeward::board
