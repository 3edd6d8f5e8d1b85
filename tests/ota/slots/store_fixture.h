// The fixture of the OtaStore tests: a provisioned device under a private temporary directory
// (slot A holds "factory runtime", version 1, three trial starts) and helpers to make updates.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "ota/slots/ota_store.h"

namespace edgeward::ota {

inline std::string sha(const std::string& bytes) { return attest::to_hex(attest::sha256(bytes)); }

class Store : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("ew-ota-store-" + std::to_string(getpid()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "dl");
    layout_.state_dir = (root_ / "state").string();
    layout_.slot_dirs = {{"A", (root_ / "a").string()}, {"B", (root_ / "b").string()}};
    layout_.trial_starts = 3;
    auto s = OtaStore::provision(layout_, put("factory", "factory runtime"), 1);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_.emplace(std::move(*s));
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string put(const std::string& name, const std::string& bytes) {
    const std::string p = (root_ / "dl" / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  Update update(const std::string& target, uint64_t version, const std::string& bytes) {
    return {{target, version, sha(bytes), ""}, put(target + "-" + std::to_string(version), bytes), bytes.size()};
  }
  std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  OtaStore reopen() {
    auto s = OtaStore::open(layout_);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return std::move(*s);
  }

  std::filesystem::path root_;
  OtaLayout layout_;
  std::optional<OtaStore> store_;
};

}  // namespace edgeward::ota
