// `edgeward ota repo init|add|publish|refresh|rotate|show`: the TUF repository (publisher) side
// of OTA updates. The work is in ota/repo/; this file parses options and prints results.
#include <ctime>

#include <nlohmann/json.hpp>

#include "common/text/writer.h"
#include "common/units.h"
#include "ota/repo/repo.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"

namespace edgeward::cli {
namespace {

constexpr std::string_view kExpiresHelp = "lifetime of a role's metadata, repeatable (default root=1y targets=90d "
                                          "snapshot=7d timestamp=1d; units s m h d w y)";

int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

// The start of every `ota repo` command: parse_or_exit, then the repository DIR (the first of at
// most `max_positional` positional arguments). nullopt with `code` set when the command stops here.
struct Start {
  ParsedArgs args;
  std::string dir;
};
std::optional<Start> start(const ArgParser& parser, Args args, size_t max_positional, const char* command, int& code) {
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return std::nullopt;
  if (parsed->positional().empty() || parsed->positional().size() > max_positional) {
    code = report(Error::invalid(std::string("ota repo ") + command + " needs the repository DIR (see --help)"));
    return std::nullopt;
  }
  std::string dir = parsed->positional()[0];
  return Start{std::move(*parsed), std::move(dir)};
}

void print_published(const ota::repo::Published& p, bool json) {
  if (json) {
    text::out() << nlohmann::json{{"targets", p.targets}, {"snapshot", p.snapshot}, {"timestamp", p.timestamp},
                                {"target_count", p.target_count}, {"collected", p.collected}}.dump(2) << "\n";
    return;
  }
  text::out() << "published targets v" << p.targets << " (" << p.target_count << " targets), snapshot v" << p.snapshot
            << ", timestamp v" << p.timestamp << "\n";
  for (const std::string& f : p.collected) text::out() << "removed " << f << " (no unexpired metadata names it)\n";
}

}  // namespace

int ota_repo_init(Args args) {
  const ArgParser parser(
      "edgeward ota repo init DIR [--expires ROLE=DURATION ...] [--keys ROLE=N ...] [--threshold ROLE=N ...] [--json]",
      "Create a TUF repository in DIR: ECDSA P-256 keys per role under DIR/keys/ROLE/ (0600, directories\n"
      "0700), metadata/1.root.json and root.json (consistent_snapshot true), and empty version-1 targets,\n"
      "snapshot and timestamp. Serve DIR/metadata and DIR/targets over HTTP; keep DIR/keys offline.",
      {{"expires", "ROLE=DURATION", kExpiresHelp},
       {"keys", "ROLE=N", "number of keys of a role, repeatable (default 1)"},
       {"threshold", "ROLE=N", "signatures a role needs, repeatable (default 1, at most its keys)"},
       {"json", "", "print the new root's roles (keyids, threshold) as JSON"}});
  int code = 0;
  auto s = start(parser, args, 1, "init", code);
  if (!s) return code;
  const ParsedArgs* parsed = &s->args;
  const std::string* dir = &s->dir;
  ota::repo::InitOptions opt;
  auto lifetimes = ota::repo::parse_lifetimes(parsed->values("expires"));
  auto keys = ota::repo::parse_role_counts(parsed->values("keys"), "--keys");
  auto threshold = ota::repo::parse_role_counts(parsed->values("threshold"), "--threshold");
  if (!lifetimes) return report(lifetimes.error());
  if (!keys) return report(keys.error());
  if (!threshold) return report(threshold.error());
  opt.lifetimes = *lifetimes;
  opt.keys = *keys;
  opt.threshold = *threshold;
  auto st = ota::repo::init(*dir, opt, now());
  if (!st) return report(st.error());
  if (parsed->flag("json")) {
    auto d = ota::repo::describe(*dir);
    if (!d) return report(d.error());
    text::out() << nlohmann::json{{"repository", *dir}, {"roles", (*d)["roles"]}}.dump(2) << "\n";
    return kExitOk;
  }
  text::out() << "created repository " << *dir << " (root v1, keys under " << *dir << "/keys)\n";
  return kExitOk;
}

int ota_repo_add(Args args) {
  const ArgParser parser(
      "edgeward ota repo add DIR [FILE] --name NAME [--kind runtime|workload|release] [--board B] [--arch A]\n"
      "       [--version N] [--member NAME ...] [--json]",
      "Copy FILE to DIR/targets/<sha256>.<NAME> and stage it (length, sha256, custom {kind, board, arch,\n"
      "version}) for the next `ota repo publish`. A release lists the exact runtime and workload targets\n"
      "it contains (--member, repeated; they must be staged already); without FILE its content is the\n"
      "canonical JSON of that list. A workload image is also cut into content-defined chunks, each\n"
      "compressed with zstd into NAME.cblob, described by the chunk index NAME.cidx (both staged as\n"
      "targets and named in the image's custom \"chunks\"), so devices download only what changed.\n"
      "A runtime added under a name already staged with another build also gets NAME.zpatch: the new\n"
      "binary compressed with zstd against the previous one (like `zstd --patch-from`), staged as a\n"
      "target and named in the runtime's custom \"patch\", so devices running it fetch only the patch.",
      {{"name", "NAME", "target name (letters, digits, . _ - + @ /)"},
       {"kind", "KIND", "runtime, workload (default) or release"},
       {"board", "B", "board the target is for"},
       {"arch", "A", "architecture the target is for"},
       {"version", "N", "the target's own version (anti-rollback on devices)"},
       {"member", "NAME", "release: a staged runtime or workload target it contains, repeatable"},
       {"no-chunks", "", "workload: publish no chunk index and blob (devices download it whole)"},
       {"no-patch", "", "runtime: publish no patch from the previous build (devices download it whole)"},
       {"json", "", "print the staged entry as JSON"}});
  int code = 0;
  auto s = start(parser, args, 2, "add", code);
  if (!s) return code;
  const ParsedArgs* parsed = &s->args;
  const std::string* dir = &s->dir;
  ota::repo::AddOptions opt;
  auto name = parsed->value("name");
  if (!name) return report(Error::invalid("ota repo add needs --name NAME"));
  opt.name = *name;
  opt.kind = parsed->value_or("kind", "workload");
  opt.board = parsed->value_or("board", "");
  opt.arch = parsed->value_or("arch", "");
  opt.members = parsed->values("member");
  opt.chunks = !parsed->flag("no-chunks");
  opt.patch = !parsed->flag("no-patch");
  if (auto v = parsed->value("version")) {
    auto n = parse_uint(*v, 0, uint64_t{1} << 53, "--version");
    if (!n) return report(n.error());
    opt.version = *n;
  }
  const std::string file = parsed->positional().size() > 1 ? parsed->positional()[1] : "";
  auto added = ota::repo::add(*dir, file, opt);
  if (!added) return report(added.error());
  if (parsed->flag("json")) {
    text::out() << nlohmann::json{{"name", added->name}, {"path", added->path}, {"length", added->file.length},
                                {"sha256", added->file.hashes.at("sha256")}, {"custom", added->file.custom}}.dump(2)
              << "\n";
  } else {
    text::out() << "staged " << added->name << " (" << added->file.length << " bytes, sha256 "
              << added->file.hashes.at("sha256") << ") -> " << added->path << "\n";
  }
  return kExitOk;
}

int ota_repo_publish(Args args) {
  const ArgParser parser("edgeward ota repo publish DIR [--expires ROLE=DURATION ...] [--json]",
                         "Sign the staged targets as the next targets version, then the next snapshot and\n"
                         "timestamp, with the keys under DIR/keys. Writes N.targets.json, N.snapshot.json,\n"
                         "timestamp.json (and targets.json, snapshot.json), timestamp last.",
                         {{"expires", "ROLE=DURATION", kExpiresHelp}, {"json", "", "print the versions as JSON"}});
  int code = 0;
  auto s = start(parser, args, 1, "publish", code);
  if (!s) return code;
  const ParsedArgs* parsed = &s->args;
  const std::string* dir = &s->dir;
  auto lifetimes = ota::repo::parse_lifetimes(parsed->values("expires"));
  if (!lifetimes) return report(lifetimes.error());
  auto p = ota::repo::publish(*dir, *lifetimes, now());
  if (!p) return report(p.error());
  print_published(*p, parsed->flag("json"));
  return kExitOk;
}

int ota_repo_refresh(Args args) {
  const ArgParser parser("edgeward ota repo refresh DIR [--expires DURATION] [--json]",
                         "Re-sign timestamp.json alone (version + 1, a new expiry): run it more often than\n"
                         "the timestamp lifetime so devices keep seeing fresh metadata.",
                         {{"expires", "DURATION", "timestamp lifetime (default 1d)"},
                          {"json", "", "print the new version as JSON"}});
  int code = 0;
  auto s = start(parser, args, 1, "refresh", code);
  if (!s) return code;
  const ParsedArgs* parsed = &s->args;
  const std::string* dir = &s->dir;
  auto lifetime = ota::repo::parse_duration(parsed->value_or("expires", "1d"));
  if (!lifetime) return report(lifetime.error());
  auto v = ota::repo::refresh(*dir, *lifetime, now());
  if (!v) return report(v.error());
  if (parsed->flag("json")) text::out() << nlohmann::json{{"timestamp", *v}}.dump(2) << "\n";
  else text::out() << "timestamp v" << *v << "\n";
  return kExitOk;
}

int ota_repo_rotate(Args args) {
  const ArgParser parser("edgeward ota repo rotate DIR --role ROLE [--expires ROLE=DURATION ...] [--json]",
                         "Replace ROLE's keys (as many, same threshold): root N+1 signed by the old root keys\n"
                         "and, when ROLE is root, the new ones. Old private keys move to DIR/keys/retired/.\n"
                         "For a non-root role, targets, snapshot and timestamp are re-signed with the new keys.",
                         {{"role", "ROLE", "root, targets, snapshot or timestamp"},
                          {"expires", "ROLE=DURATION", kExpiresHelp},
                          {"json", "", "print the result as JSON"}});
  int code = 0;
  auto s = start(parser, args, 1, "rotate", code);
  if (!s) return code;
  const ParsedArgs* parsed = &s->args;
  const std::string* dir = &s->dir;
  auto role_text = parsed->value("role");
  if (!role_text) return report(Error::invalid("ota repo rotate needs --role ROLE"));
  auto role = ota::tuf::role_from_name(*role_text);
  if (!role) return report(Error::invalid("--role '" + *role_text + "': use root, targets, snapshot or timestamp"));
  auto lifetimes = ota::repo::parse_lifetimes(parsed->values("expires"));
  if (!lifetimes) return report(lifetimes.error());
  auto r = ota::repo::rotate(*dir, *role, *lifetimes, now());
  if (!r) return report(r.error());
  if (parsed->flag("json")) {
    nlohmann::json j = {{"root", r->root_version}, {"new_keyids", r->new_keyids}, {"retired_keyids", r->retired_keyids}};
    if (r->republished) j["republished"] = {{"targets", r->republished->targets}, {"snapshot", r->republished->snapshot},
                                            {"timestamp", r->republished->timestamp}};
    text::out() << j.dump(2) << "\n";
    return kExitOk;
  }
  text::out() << "rotated " << *role_text << ": root v" << r->root_version << ", " << r->new_keyids.size()
            << " new key(s), old ones in " << *dir << "/keys/retired\n";
  if (r->republished) print_published(*r->republished, false);
  return kExitOk;
}

int ota_repo_show(Args args) {
  const ArgParser parser("edgeward ota repo show DIR [--json]",
                         "Show a repository: each role's version, expiry, threshold and keys, the published\n"
                         "targets, and targets staged but not yet published.",
                         {{"json", "", "print as JSON"}});
  int code = 0;
  auto s = start(parser, args, 1, "show", code);
  if (!s) return code;
  const ParsedArgs* parsed = &s->args;
  const std::string* dir = &s->dir;
  auto d = ota::repo::describe(*dir);
  if (!d) return report(d.error());
  if (parsed->flag("json")) {
    text::out() << d->dump(2) << "\n";
    return kExitOk;
  }
  text::out() << "repository " << *dir << "\n";
  for (const auto& [role, info] : (*d)["roles"].items()) {
    text::out() << "  " << role << " v" << info["version"].dump() << ", expires " << info["expires"].get<std::string>()
              << ", threshold " << info["threshold"].dump() << " of " << info["keyids"].size() << " key(s)\n";
  }
  text::out() << "targets:\n";
  for (const auto& [name, t] : (*d)["targets"].items()) {
    text::out() << "  " << name << " " << t["length"].dump() << " bytes sha256:" << t["sha256"].get<std::string>() << " "
              << t["custom"].dump() << "\n";
  }
  if (!(*d)["staged_unpublished"].empty()) {
    text::out() << "staged, not published: " << (*d)["staged_unpublished"].dump() << "\n";
  }
  return kExitOk;
}

}  // namespace edgeward::cli
