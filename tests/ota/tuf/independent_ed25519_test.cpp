// Metadata signed with Ed25519 by an independent implementation (tuf/ed25519_repo.py: Python's
// `cryptography`, or the openssl command line when that is missing), over canonical JSON it
// writes itself, verified by edgeward.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ota/tuf/verify.h"
#include "tests/ota/tuf/tuf_testing.h"

namespace edgeward::ota::tuf {
namespace {

using testing::slurp;
using testing::unwrap;

// `impl` is "" (python-cryptography, else openssl) or "openssl".
void check_signed_elsewhere(const std::string& impl) {
  const std::string dir = std::string(EW_OTA_TEST_WORK) + "/ed25519_repo" + impl;
  ASSERT_EQ(std::system(("rm -rf '" + dir + "' && mkdir -p '" + dir + "'").c_str()), 0);
  const std::string cmd = "python3 " EW_OTA_TEST_DIR "/tuf/ed25519_repo.py '" + dir + "' " + impl + " > '" + dir + "/impl'";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "python3 (or openssl) is not available to run tuf/ed25519_repo.py";
  std::cout << "signed by: " << slurp(dir + "/impl");

  const std::string root_text = slurp(dir + "/root.json");
  const Envelope re = unwrap(parse_envelope(root_text, Role::kRoot, "root.json"));
  const Root root = unwrap(parse_root(re));
  ASSERT_EQ(root.keys.size(), 1u);
  const PublicKey& key = root.keys.begin()->second;
  EXPECT_EQ(key.scheme(), KeyScheme::kEd25519);
  // The keyid the other implementation computed is the one edgeward computes.
  EXPECT_EQ(unwrap(key_id(key.object())), root.keys.begin()->first);
  EXPECT_TRUE(verify_role(re, root, Role::kRoot).ok());

  const std::string targets_text = slurp(dir + "/targets.json");
  const Envelope te = unwrap(parse_envelope(targets_text, Role::kTargets, "targets.json"));
  auto st = verify_role(te, root, Role::kTargets);
  EXPECT_TRUE(st.ok()) << st.error().message;  // canonical JSON of unicode, quotes, backslashes agrees
  const Targets t = unwrap(parse_targets(te));
  EXPECT_EQ(t.targets.at("dir/app.bin").custom["note"], "caf\xc3\xa9 \"quoted\" back\\slash");

  // One changed byte in the custom note: refused.
  std::string tampered = targets_text;
  const size_t at = tampered.find("caf");
  ASSERT_NE(at, std::string::npos);
  tampered[at] = 'C';
  const Envelope bad = unwrap(parse_envelope(tampered, Role::kTargets, "targets.json"));
  EXPECT_FALSE(verify_role(bad, root, Role::kTargets).ok());
}

TEST(TufIndependentEd25519, SignedByPythonCryptography) { check_signed_elsewhere(""); }
TEST(TufIndependentEd25519, SignedByOpensslCommandLine) { check_signed_elsewhere("openssl"); }

}  // namespace
}  // namespace edgeward::ota::tuf
