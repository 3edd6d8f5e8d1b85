// Repository directory layout, key files and metadata files (see layout.h).
#include "ota/repo/layout.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "attest/fileio.h"
#include "common/dir_tree.h"
#include "ota/file_ops.h"

namespace edgeward::ota::repo {
namespace {

Error sys_error(const std::string& path, const char* what) {
  return Error::io(path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

Status make_dir(const std::string& path, unsigned mode) {
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) return sys_error(path, "cannot create directory");
  if (::chmod(path.c_str(), mode) != 0) return sys_error(path, "chmod failed");
  return {};
}

Result<std::vector<tuf::SigningKey>> load_role_keys(const Layout& l, tuf::Role role) {
  const std::string dir = l.role_keys(role);
  auto names = list_names(dir);
  if (!names) {
    return Error::not_found(dir + ": no keys for role " + std::string(tuf::role_name(role)) +
                            " (is this a repository made by `edgeward ota repo init`?)");
  }
  std::vector<tuf::SigningKey> keys;
  for (const std::string& n : *names) {
    if (n.size() <= 4 || !n.ends_with(".pem")) continue;
    EW_ASSIGN(std::string pem, attest::read_text_file(dir + "/" + n, 16 * 1024));
    EW_ASSIGN(tuf::SigningKey k, tuf::SigningKey::from_pem(pem, dir + "/" + n));
    keys.push_back(std::move(k));
  }
  return keys;
}

Status save_key(const Layout& l, tuf::Role role, const tuf::SigningKey& key) {
  EW_TRY(make_dir(l.keys(), 0700));
  EW_TRY(make_dir(l.role_keys(role), 0700));
  EW_ASSIGN(std::string pem, key.private_pem());
  return attest::write_file_atomic(l.role_keys(role) + "/" + key.keyid() + ".pem", pem, 0600);
}

Status retire_key(const Layout& l, tuf::Role role, const std::string& keyid) {
  EW_TRY(make_dir(l.retired(), 0700));
  const std::string from = l.role_keys(role) + "/" + keyid + ".pem";
  const std::string to = l.retired() + "/" + std::string(tuf::role_name(role)) + "-" + keyid + ".pem";
  if (::rename(from.c_str(), to.c_str()) != 0) return sys_error(from, "cannot move to keys/retired");
  EW_TRY(system_file_ops().fsync_dir(l.retired()));
  return system_file_ops().fsync_dir(l.role_keys(role));
}

Status write_metadata(const Layout& l, const std::string& name, const std::string& text) {
  return attest::write_file_atomic(l.metadata() + "/" + name, text, 0644);
}

Result<std::string> read_metadata(const Layout& l, const std::string& name) {
  const std::string path = l.metadata() + "/" + name;
  if (::access(path.c_str(), F_OK) != 0) {
    return Error::not_found(path + ": missing (create the repository with `edgeward ota repo init " + l.dir + "`)");
  }
  return attest::read_text_file(path, tuf::kMaxMetadataBytes);
}

Result<tuf::Root> load_root(const Layout& l) {
  EW_ASSIGN(std::string text, read_metadata(l, "root.json"));
  EW_ASSIGN(tuf::Envelope e, tuf::parse_envelope(text, tuf::Role::kRoot, l.metadata() + "/root.json"));
  return tuf::parse_root(e);
}

}  // namespace edgeward::ota::repo
