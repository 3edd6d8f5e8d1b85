// A TUF repository directory as `edgeward ota repo` keeps it:
//   DIR/metadata/   N.root.json, root.json, N.targets.json, targets.json, N.snapshot.json,
//                   snapshot.json, timestamp.json (what a web server publishes)
//   DIR/targets/    target files as <sha256>.<name> (consistent-snapshot naming; a name with
//                   directories keeps them: a/b -> a/<sha256>.b)
//   DIR/keys/ROLE/  <keyid>.pem private keys, mode 0600, directories 0700
//   DIR/keys/retired/  keys replaced by `rotate`, kept aside as ROLE-<keyid>.pem
//   DIR/staging/targets.json  the targets the next `publish` will sign ({name: target entry})
// Every file is replaced atomically (temporary, fsync, rename, fsync of the directory).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "ota/tuf/keys.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::repo {

struct Layout {
  std::string dir;
  std::string metadata() const { return dir + "/metadata"; }
  std::string targets() const { return dir + "/targets"; }
  std::string keys() const { return dir + "/keys"; }
  std::string role_keys(tuf::Role r) const { return keys() + "/" + std::string(tuf::role_name(r)); }
  std::string retired() const { return keys() + "/retired"; }
  std::string staging() const { return dir + "/staging"; }
  std::string staging_targets() const { return staging() + "/targets.json"; }
};

// mkdir with `mode` (chmod'ed after, so the umask does not widen or narrow it); an existing
// directory is fine and gets `mode`.
Status make_dir(const std::string& path, unsigned mode);

// Every private key under DIR/keys/ROLE/ (files named <keyid>.pem).
Result<std::vector<tuf::SigningKey>> load_role_keys(const Layout& l, tuf::Role role);
Status save_key(const Layout& l, tuf::Role role, const tuf::SigningKey& key);
// Moves DIR/keys/ROLE/<keyid>.pem to DIR/keys/retired/ROLE-<keyid>.pem.
Status retire_key(const Layout& l, tuf::Role role, const std::string& keyid);

// Atomic write of DIR/metadata/<name> (mode 0644).
Status write_metadata(const Layout& l, const std::string& name, const std::string& text);
Result<std::string> read_metadata(const Layout& l, const std::string& name);

// The current root (metadata/root.json), parsed; the error says to run `ota repo init` when missing.
Result<tuf::Root> load_root(const Layout& l);

}  // namespace edgeward::ota::repo
