// Staged targets and `ota repo add`: the file copied under its consistent-snapshot name, its
// length, sha256 and custom fields recorded for the next publish.
#include "ota/repo/staging.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "attest/crypto/sha256.h"
#include "attest/fileio.h"
#include "ota/file_ops.h"
#include "ota/repo/chunks.h"
#include "ota/repo/runtime_patch.h"
#include "ota/tuf/canonical_json.h"
#include "ota/tuf/metadata.h"

namespace edgeward::ota::repo {
namespace {

// Names and custom strings this repository writes: printable ASCII without quotes or spaces.
Status check_label(const std::string& s, const char* what, bool slash_ok) {
  if (s.empty() || s.size() > 255) return Error::invalid(std::string(what) + " must be 1 to 255 characters");
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '+' || c == '@' || (slash_ok && c == '/');
    if (!ok) return Error::invalid(std::string(what) + " '" + s + "': use letters, digits and . _ - + @" +
                                   (slash_ok ? " /" : ""));
  }
  return {};
}

Status make_parents(const Layout& l, const std::string& name) {
  size_t pos = 0;
  while ((pos = name.find('/', pos)) != std::string::npos) {
    EW_TRY(make_dir(l.targets() + "/" + name.substr(0, pos), 0755));
    ++pos;
  }
  return {};
}

// Removes a temporary file unless released (the copy reached its final name).
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  void release() { path_.clear(); }

 private:
  std::string path_;
};

// Copies `src` (or, when it is empty, `data`) to `tmp`, hashing it on the way.
Result<tuf::TargetFile> copy_hashed(const std::string& src, const std::string& data, const std::string& tmp) {
  tuf::TargetFile f;
  attest::Fd in;
  if (!src.empty()) {
    EW_ASSIGN(in, attest::open_read(src));
  }
  attest::Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (out.get() < 0) return Error::io(tmp + ": cannot create: " + std::strerror(errno));
  attest::Sha256 h;
  if (src.empty()) {
    const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    h.update(bytes);
    EW_TRY(attest::pwrite_all(out, bytes, 0, tmp));
    f.length = data.size();
  } else {
    std::vector<uint8_t> buf(1 << 20);
    for (;;) {
      const ssize_t n = ::read(in.get(), buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Error::io(src + ": read failed: " + std::strerror(errno));
      if (n == 0) break;
      const std::span<const uint8_t> chunk(buf.data(), static_cast<size_t>(n));
      h.update(chunk);
      EW_TRY(attest::pwrite_all(out, chunk, f.length, tmp));
      f.length += static_cast<uint64_t>(n);
    }
  }
  if (::fsync(out.get()) != 0) return Error::io(tmp + ": fsync failed: " + std::strerror(errno));
  f.hashes["sha256"] = attest::to_hex(h.finish());
  return f;
}

}  // namespace

std::string target_path(const Layout& l, const std::string& name, const std::string& sha) {
  const size_t slash = name.rfind('/');
  if (slash == std::string::npos) return l.targets() + "/" + sha + "." + name;
  return l.targets() + "/" + name.substr(0, slash) + "/" + sha + "." + name.substr(slash + 1);
}

Result<tuf::TargetFile> store_target(const Layout& l, const std::string& name, const std::string& src,
                                     const std::string& data, std::string& path) {
  EW_TRY(make_parents(l, name));
  const std::string tmp = l.targets() + "/.incoming.tmp";
  TempFile cleanup(tmp);
  EW_ASSIGN(tuf::TargetFile target, copy_hashed(src, data, tmp));
  path = target_path(l, name, target.hashes.at("sha256"));
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Error::io(path + ": rename failed: " + std::strerror(errno));
  cleanup.release();
  EW_TRY(system_file_ops().fsync_dir(parent_dir(path)));
  return target;
}

Result<TargetMap> read_staged(const Layout& l) {
  EW_ASSIGN(std::string text, attest::read_text_file(l.staging_targets(), tuf::kMaxMetadataBytes));
  // The staged list has the shape of a targets role's "signed" part, so the strict parser checks it.
  tuf::Envelope e;
  e.file = l.staging_targets();
  e.signed_part = nlohmann::json::parse(text, nullptr, false);
  if (e.signed_part.is_discarded() || !e.signed_part.is_object()) return Error::invalid(e.file + ": not a JSON object");
  EW_ASSIGN(tuf::Targets t, tuf::parse_targets(e));
  return t.targets;
}

Status write_staged(const Layout& l, const TargetMap& targets) {
  tuf::Targets t;
  t.targets = targets;
  return attest::write_file_atomic(l.staging_targets(), tuf::to_json(t).dump(1, ' ') + "\n", 0600);
}

Result<Added> add(const std::string& dir, const std::string& file, const AddOptions& opt) {
  const Layout l{dir};
  EW_TRY(check_label(opt.name, "--name", true));
  EW_TRY(tuf::check_target_name(opt.name));
  if (opt.kind != "runtime" && opt.kind != "workload" && opt.kind != "release") {
    return Error::invalid("--kind '" + opt.kind + "': use runtime, workload or release");
  }
  if (!opt.board.empty()) EW_TRY(check_label(opt.board, "--board", false));
  if (!opt.arch.empty()) EW_TRY(check_label(opt.arch, "--arch", false));
  if (opt.kind != "release" && !opt.members.empty()) return Error::invalid("--member is only for --kind release");
  if (opt.kind == "release" && opt.members.empty()) return Error::invalid("a release needs --member NAME (repeated)");
  if (opt.kind != "release" && file.empty()) return Error::invalid("ota repo add needs a FILE");
  EW_ASSIGN(TargetMap staged, read_staged(l));

  nlohmann::json custom = {{"kind", opt.kind}};
  if (!opt.board.empty()) custom["board"] = opt.board;
  if (!opt.arch.empty()) custom["arch"] = opt.arch;
  if (opt.version) custom["version"] = *opt.version;
  if (opt.kind == "release") {
    nlohmann::json members = nlohmann::json::array();
    size_t runtimes = 0;
    for (const std::string& m : opt.members) {
      auto it = staged.find(m);
      if (it == staged.end()) return Error::not_found("--member '" + m + "': not a staged target (ota repo add it first)");
      auto k = it->second.custom.find("kind");  // custom is an object (the parser checked), "kind" may be anything
      const std::string kind = k != it->second.custom.end() && k->is_string() ? k->get<std::string>() : "untyped";
      if (kind != "runtime" && kind != "workload") {
        return Error::invalid("--member '" + m + "' is a " + kind + " target; a release holds runtime and workload targets");
      }
      runtimes += kind == "runtime";
      members.push_back({{"name", m}, {"length", it->second.length}, {"sha256", it->second.hashes.at("sha256")}});
    }
    if (runtimes != 1) {
      return Error::invalid("a release holds exactly one runtime member (the build its workloads go with); got " +
                            std::to_string(runtimes));
    }
    if (!opt.version) return Error::invalid("a release needs --version N (devices keep a floor per release name)");
    custom["members"] = members;
  }
  std::string body;  // a release without FILE: its content is its canonical member list
  if (file.empty()) {
    EW_ASSIGN(body, tuf::canonical_json({{"name", opt.name}, {"members", custom["members"]}}));
  }
  if (!opt.chunks && opt.kind != "workload") return Error::invalid("--no-chunks is for workload images");
  if (!opt.patch && opt.kind != "runtime") return Error::invalid("--no-patch is for runtime binaries");
  std::string path;
  EW_ASSIGN(tuf::TargetFile target, store_target(l, opt.name, file, body, path));
  target.custom = custom;
  if (opt.kind == "workload") {
    EW_TRY(stage_chunks(l, opt.name, path, opt.chunks, staged, target));
  }
  if (opt.kind == "runtime") {
    EW_TRY(stage_runtime_patch(l, opt.name, path, opt.patch, staged, target));
  }
  staged[opt.name] = target;
  EW_TRY(write_staged(l, staged));
  return Added{opt.name, path, target};
}

}  // namespace edgeward::ota::repo
