// `edgeward ota trust|check|download|install|export`: the device's TUF client (ota/client/). Trust
// a root once, then refresh the metadata from a repository (or an offline bundle read in place),
// list its targets against what the device holds, download one verified, install it into the
// runtime slots / workload images, or export it with its metadata as a bundle (ota/bundle/).
#include <unistd.h>

#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "attest/fileio.h"
#include "common/board/embedded_boards.h"
#include "common/text/writer.h"
#include "common/units.h"
#include "ota/bundle/export.h"
#include "ota/client/delta_download.h"
#include "ota/client/install.h"
#include "ota/client/measure_install.h"
#include "ota/client/refresh.h"
#include "ota/client/release.h"
#include "ota/client/target_download.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/ota_layout.h"
#include "runtime/cli/parse.h"

namespace edgeward::cli {
namespace {

namespace oc = ota::client;

const Option kRepo{"repo", "URL", "repository base URL (http://, https:// or file://; metadata/ and targets/ below it)"};
const Option kBundle{"bundle", "FILE", "an offline bundle (`edgeward ota export`) instead of --repo: verified the same way"};
const Option kCa{"ca", "FILE", "fleet CA (PEM) the https:// server must chain to"};
const Option kTimeout{"timeout", "SECONDS", "connect and read timeout (default 10 s connect, 30 s read)"};
const Option kJson{"json", "", "print JSON"};

std::string tuf_dir(const ota::OtaLayout& l) { return l.state_dir + "/tuf"; }

// Everything a client command needs after parsing: the layout and the repository.
struct Context {
  ParsedArgs args;
  ota::OtaLayout layout;
  oc::Repository repo;
};

std::optional<Context> start(const ArgParser& parser, Args args, size_t positional, int& code) {
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return std::nullopt;
  auto fail = [&](Error e) {
    code = report(e);
    return std::nullopt;
  };
  if (parsed->positional().size() != positional) {
    return fail(Error::invalid(positional == 0 ? "no arguments expected (see --help)" : "give one TARGET (see --help)"));
  }
  auto layout = ota_layout_of(*parsed);
  if (!layout) return fail(layout.error());
  Context c{std::move(*parsed), std::move(*layout), {}};
  auto url = c.args.value("repo");
  const auto bundle = c.args.value("bundle");
  if (bundle && url) return fail(Error::invalid("give --repo URL or --bundle FILE, not both"));
  if (bundle) {
    auto b = ota::bundle::bundle_repository_url(*bundle);
    if (!b) return fail(b.error());
    url = *b;
  }
  if (!url || url->empty()) return fail(Error::invalid("--repo URL (or --bundle FILE) is required"));
  c.repo.url = *url;
  while (c.repo.url.size() > 1 && c.repo.url.back() == '/') c.repo.url.pop_back();
  c.repo.transport.tls.ca_file = c.args.value_or("ca", "");
  if (c.repo.url.starts_with("https://") && c.repo.transport.tls.ca_file.empty()) {
    return fail(Error::invalid("an https:// repository needs --ca FILE, the fleet CA its server must chain to"));
  }
  if (auto t = c.args.value("timeout")) {
    auto s = parse_uint(*t, 1, 3600, "--timeout");
    if (!s) return fail(s.error());
    c.repo.transport.connect_timeout_ms = c.repo.transport.read_timeout_ms = static_cast<uint32_t>(*s * 1000);
  }
  return c;
}

Result<oc::Refreshed> refresh(const Context& c) {
  return oc::refresh(ota::system_file_ops(), tuf_dir(c.layout), c.repo, static_cast<int64_t>(std::time(nullptr)));
}

// The device's state, or nullopt when it was never provisioned (check still lists targets).
Result<std::optional<ota::OtaStore>> open_store_if_any(const ota::OtaLayout& l) {
  auto store = ota::OtaStore::open(l);
  if (!store && store.error().code == ErrorCode::kNotFound) return std::optional<ota::OtaStore>();
  if (!store) return std::move(store).error();
  return std::optional<ota::OtaStore>(std::move(store).value());
}

Result<oc::Device> this_device() {
  EW_ASSIGN(board::Board b, board::resolve_board(""));
  return oc::Device{b.name, std::string(board::arch_name(b.arch))};
}

// Refreshes, then finds TARGET in the verified targets metadata.
struct Found {
  oc::Refreshed refreshed;
  oc::TargetInfo target;
};
Result<Found> refresh_and_find(const Context& c, const std::string& name) {
  EW_ASSIGN(oc::Refreshed r, refresh(c));
  auto it = r.targets.targets.find(name);
  if (it == r.targets.targets.end()) {
    return Error::not_found("target " + name + " is not in the repository's targets v" +
                            std::to_string(r.targets.common.version) + " (see `edgeward ota check`)");
  }
  oc::TargetInfo t = oc::describe_target(it->first, it->second);
  return Found{std::move(r), std::move(t)};
}

nlohmann::ordered_json target_json(const oc::TargetInfo& t, const std::string& status) {
  return {{"name", t.name},   {"kind", t.kind},       {"board", t.board},     {"arch", t.arch},
          {"version", t.version ? nlohmann::ordered_json(*t.version) : nullptr},
          {"length", t.length}, {"sha256", t.sha256}, {"status", status}};
}

// Download progress: JSON events on stdout with --json, a bar on a terminal's stderr, else none.
// Built in place (`fn` calls into `printer`).
struct Progress {
  explicit Progress(bool json)
      : out(json ? stdout : stderr), printer(out, ota::ProgressPrinter::pick(out, json)) {
    if (json || ::isatty(STDERR_FILENO)) fn = printer.callback();
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  FILE* out;
  ota::ProgressPrinter printer;
  ota::ProgressFn fn;
};

std::string mib(uint64_t bytes) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return b;
}

// What a runtime patch did (patch vs full size), or why the full download was used.
void report_patch(bool json, const std::string& name, const oc::PatchOutcome& p, uint64_t length) {
  if (!p.offered) return;
  if (json) {
    nlohmann::ordered_json j{{"event", "patch"}, {"target", name}, {"used", p.used}};
    if (p.used) {
      j.update({{"image", length}, {"downloaded", p.patch_bytes}, {"base", p.base}});
    } else {
      j["fallback_reason"] = p.fallback_reason;
    }
    text::out() << j.dump() << "\n";
  } else if (p.used) {
    const double share = length ? 100.0 * static_cast<double>(p.patch_bytes) / static_cast<double>(length) : 0;
    std::fprintf(stderr, "%s: runtime patch: %.1f KiB downloaded (%.2f%% of %s), applied to %s\n", name.c_str(),
                 static_cast<double>(p.patch_bytes) / 1024, share, mib(length).c_str(), p.base.c_str());
  } else {
    std::fprintf(stderr, "%s: runtime patch not used (%s): downloading it whole\n", name.c_str(), p.fallback_reason.c_str());
  }
}

// What a chunked delta did (reused vs downloaded bytes), or why the full download was used.
void report_delta(bool json, const std::string& name, const oc::DeltaOutcome& d, uint64_t length) {
  report_patch(json, name, d.patch, length);
  if (!d.offered) return;
  const ota::delta::AssembleReport& r = d.report;
  if (json) {
    nlohmann::ordered_json j{{"event", "delta"}, {"target", name}, {"used", d.used}};
    if (d.used) {
      j.update({{"image", r.image_bytes}, {"resumed", r.resumed_bytes}, {"reused", r.reused_bytes},
                {"downloaded", r.downloaded_bytes}, {"requests", r.requests}});
    } else {
      j["fallback_reason"] = d.fallback_reason;
    }
    text::out() << j.dump() << "\n";
  } else if (d.used) {
    const double share = length ? 100.0 * static_cast<double>(r.downloaded_bytes) / static_cast<double>(length) : 0;
    std::fprintf(stderr, "%s: delta: %s reused on this device, %s resumed, %s downloaded in %llu requests (%.1f%% of %s)\n",
                 name.c_str(), mib(r.reused_bytes).c_str(), mib(r.resumed_bytes).c_str(),
                 mib(r.downloaded_bytes).c_str(), static_cast<unsigned long long>(r.requests), share,
                 mib(length).c_str());
  } else {
    std::fprintf(stderr, "%s: chunked delta not used (%s): downloading it whole\n", name.c_str(), d.fallback_reason.c_str());
  }
}

Result<std::string> download(const Context& c, const oc::Refreshed& r, const std::string& name) {
  Progress progress(c.args.flag("json"));
  oc::DeltaOutcome delta;
  auto path = oc::download_target_delta(c.repo, c.layout.state_dir + "/downloads", name, r.targets.targets,
                                        r.root.consistent_snapshot,
                                        oc::local_chunk_files(c.layout.state_dir, c.layout.slot_dirs), progress.fn, delta);
  const uint64_t length = r.targets.targets.at(name).length;
  report_delta(c.args.flag("json"), name, delta, length);
  if (path) {
    if (auto s = oc::record_delta_outcome(c.layout.state_dir, name, delta, length); !s) {
      std::fprintf(stderr, "warning: %s\n", s.error().message.c_str());
    }
  }
  return path;
}

// What an install did: the message, and the events it adds to the measured-launch log.
struct Done {
  std::string message;
  std::vector<attest::OtaInstallEvent> events;
};

// Downloads one target and installs it by its kind (runtime or workload).
Result<Done> install_one(const Context& c, ota::OtaStore& store, const oc::Refreshed& r, const oc::TargetInfo& t,
                         const oc::Device& device) {
  EW_ASSIGN(const std::string path, download(c, r, t.name));
  const std::string workload = c.args.value_or("name", oc::default_workload_name(t.name));
  auto done = oc::install_target(store, t, path, workload, device);
  ::unlink(path.c_str());  // copied into its slot or refused: either way no longer needed
  if (!done) return std::move(done).error();
  return Done{*done, {oc::install_event(t, t.kind == "runtime" ? store.state().trial : workload)}};
}

// Checks a release's members, downloads every one, then installs them as one transaction.
Result<Done> install_release(const Context& c, ota::OtaStore& store, const oc::Refreshed& r, const oc::TargetInfo& t,
                             const oc::Device& device) {
  if (c.args.value("name")) return Error::invalid("--name is for a workload target; a release names its workloads");
  EW_ASSIGN(const oc::ReleasePlan plan, oc::plan_release(t, r.targets.targets.at(t.name), r.targets.targets, device));
  std::map<std::string, std::string> files;
  struct Cleanup {
    std::map<std::string, std::string>& files;
    ~Cleanup() {
      for (const auto& [name, path] : files) ::unlink(path.c_str());
    }
  } cleanup{files};
  EW_ASSIGN(files[plan.runtime.name], download(c, r, plan.runtime.name));
  for (const auto& [workload, member] : plan.workloads) {
    EW_ASSIGN(files[member.name], download(c, r, member.name));
  }
  EW_ASSIGN(std::string message, oc::install_release(store, plan, files));
  return Done{std::move(message), oc::install_events(plan, store.state().trial)};
}

}  // namespace

int ota_trust(Args args) {
  const ArgParser parser("edgeward ota trust ROOT.json [--state DIR] [--replace]",
                         "Install the device's initial trusted TUF root (e.g. the repository's metadata/1.root.json,\n"
                         "delivered out of band): it must be signed by a threshold of its own root keys. Stored as\n"
                         "<state>/tuf/root.json; an existing trust is only replaced with --replace.",
                         {kOtaStateDir, kOtaSlotA, kOtaSlotB, {"replace", "", "replace the trusted root (forgets all metadata)"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  if (parsed->positional().size() != 1) return report(Error::invalid("ota trust needs ROOT.json (see --help)"));
  auto layout = ota_layout_of(*parsed);
  if (!layout) return report(layout.error());
  auto bytes = attest::read_text_file(parsed->positional()[0], 512 * 1024);
  if (!bytes) return report(bytes.error());
  auto root = oc::install_root(ota::system_file_ops(), tuf_dir(*layout), *bytes, parsed->flag("replace"));
  if (!root) return report(root.error());
  text::out() << "trusted root version " << root->common.version << " in " << tuf_dir(*layout) << "/root.json\n";
  return kExitOk;
}

int ota_check(Args args) {
  const ArgParser parser("edgeward ota check --repo URL|--bundle FILE [--state DIR] [--ca FILE] [--timeout SECONDS] [--json]",
                         "Refresh the trusted TUF metadata from the repository (root rotations, timestamp, snapshot,\n"
                         "targets: signatures, rollback, expiry against the trusted time) and list its targets with\n"
                         "kind, board, arch, version and whether each is newer than what this device holds.",
                         {kRepo, kBundle, kOtaStateDir, kOtaSlotA, kOtaSlotB, kCa, kTimeout, kJson});
  int code = 0;
  auto c = start(parser, args, 0, code);
  if (!c) return code;
  auto store = open_store_if_any(c->layout);
  if (!store) return report(store.error());
  auto r = refresh(*c);
  if (!r) return report(r.error());
  const ota::OtaState* state = *store ? &(*store)->state() : nullptr;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& [name, file] : r->targets.targets) {
    const oc::TargetInfo t = oc::describe_target(name, file);
    if (t.kind == "chunk-index" || t.kind == "chunk-blob" || t.kind == "runtime-patch") continue;  // parts of a delta
    list.push_back(target_json(t, oc::update_status(state, t, oc::default_workload_name(name))));
  }
  if (c->args.flag("json")) {
    nlohmann::ordered_json j;
    j["repository"] = c->repo.url;
    j["root_version"] = r->root.common.version;
    j["root_rotations"] = r->root_rotations;
    j["timestamp_version"] = r->timestamp.common.version;
    j["snapshot_version"] = r->snapshot.common.version;
    j["targets_version"] = r->targets.common.version;
    j["targets"] = list;
    text::out() << j.dump(2) << "\n";
    return kExitOk;
  }
  text::out() << c->repo.url << ": root v" << r->root.common.version << ", targets v" << r->targets.common.version
            << " (" << list.size() << " targets)\n";
  for (const auto& t : list) {
    text::out() << "  " << t["name"].get<std::string>() << "  " << t["kind"].get<std::string>();
    if (!t["board"].get<std::string>().empty()) text::out() << " board " << t["board"].get<std::string>();
    if (!t["arch"].get<std::string>().empty()) text::out() << " arch " << t["arch"].get<std::string>();
    if (!t["version"].is_null()) text::out() << " version " << t["version"].get<uint64_t>();
    text::out() << "  " << t["status"].get<std::string>() << "\n";
  }
  return kExitOk;
}

int ota_download(Args args) {
  const ArgParser parser("edgeward ota download TARGET --repo URL|--bundle FILE [--state DIR] [--ca FILE] [--timeout SECONDS] [--json]",
                         "Refresh the metadata, then download TARGET into <state>/downloads/ (resumable; length and\n"
                         "SHA-256 from the verified targets metadata) and print its path. --json: progress events,\n"
                         "then {\"event\":\"done\",\"path\":...}.",
                         {kRepo, kBundle, kOtaStateDir, kOtaSlotA, kOtaSlotB, kCa, kTimeout, kJson});
  int code = 0;
  auto c = start(parser, args, 1, code);
  if (!c) return code;
  const std::string name = c->args.positional()[0];
  auto found = refresh_and_find(*c, name);
  if (!found) return report(found.error());
  auto path = download(*c, found->refreshed, name);
  if (!path) return report(path.error());
  if (c->args.flag("json")) {
    text::out() << nlohmann::ordered_json{{"event", "done"}, {"target", name}, {"path", *path}}.dump() << "\n";
  } else {
    text::out() << *path << "\n";
  }
  return kExitOk;
}

int ota_install(Args args) {
  const ArgParser parser(
      "edgeward ota install TARGET --repo URL|--bundle FILE [--state DIR] [--slot-a DIR] [--slot-b DIR] [--name WORKLOAD] [--ca FILE] "
      "[--timeout SECONDS] [--json]",
      "Refresh the metadata, download TARGET, then install it by its kind: a runtime into the inactive\n"
      "slot on trial (refused when built for another board or arch, below the floor, or while another\n"
      "runtime is on trial), a workload image beside the one in use, pending until healthy, or a\n"
      "release (its runtime on trial and its workload images pending, made current together by\n"
      "mark-good or dropped together on rollback). A refused update changes nothing. What was\n"
      "installed is recorded in the measured-launch log (attestation evidence shows it). With\n"
      "--bundle, the metadata and targets come from an offline bundle, checked exactly as online.",
      {kRepo, kBundle, kOtaStateDir, kOtaSlotA, kOtaSlotB, {"name", "WORKLOAD", "workload name (default TARGET without .ewi)"},
       {"attest-dir", "DIR", "measurement store the install is recorded in (default <state>/../attest)"}, kCa, kTimeout,
       kJson});
  int code = 0;
  auto c = start(parser, args, 1, code);
  if (!c) return code;
  const std::string name = c->args.positional()[0];
  auto store = ota::OtaStore::open(c->layout);
  if (!store) return report(store.error());
  auto device = this_device();
  if (!device) return report(device.error());
  auto found = refresh_and_find(*c, name);
  if (!found) return report(found.error());
  const oc::TargetInfo& t = found->target;
  if (auto s = oc::check_installable(t, *device); !s) return report(s.error());
  auto done = t.kind == "release" ? install_release(*c, *store, found->refreshed, t, *device)
                                  : install_one(*c, *store, found->refreshed, t, *device);
  if (!done) return report(done.error());
  if (c->args.flag("json")) {
    text::out() << nlohmann::ordered_json{{"event", "installed"}, {"target", name}, {"message", done->message}}.dump() << "\n";
  } else {
    text::out() << done->message << "\n";
  }
  const std::string attest_dir = c->args.value_or("attest-dir", ota::parent_dir(c->layout.state_dir) + "/attest");
  if (auto m = oc::measure_install(attest_dir, done->events); !m) {
    return report(Error::io("installed, but not measured into " + attest_dir + ": " + m.error().message));
  }
  return kExitOk;
}

int ota_export(Args args) {
  const ArgParser parser(
      "edgeward ota export TARGET --out BUNDLE.tar --repo URL [--chunks-only] [--state DIR] [--ca FILE] [--timeout SECONDS] "
      "[--json]",
      "For an air-gapped device: refresh this machine's trusted metadata from the repository (as\n"
      "`ota check` does; `ota trust` its root first), download TARGET (a release brings every member)\n"
      "verified, and write BUNDLE.tar with every root, the verified timestamp, snapshot and targets\n"
      "metadata and the target files under the repository's names (an image with chunks: its chunk\n"
      "index and blob too, so the device builds it from the chunks it has and the blob). The bundle is\n"
      "checked the way a device will check it before this returns. On the device: `edgeward ota\n"
      "install TARGET --bundle BUNDLE.tar` (the same TUF checks, trusted time, floors and slots as online).",
      {kRepo, {"out", "FILE", "the bundle to write (replaced only once complete)"},
       {"chunks-only", "", "leave out images that have chunks: their blob stands in for them (a smaller bundle)"},
       kOtaStateDir, kOtaSlotA, kOtaSlotB, kCa, kTimeout, kJson});
  int code = 0;
  auto c = start(parser, args, 1, code);
  if (!c) return code;
  const auto out = c->args.value("out");
  if (!out || out->empty()) return report(Error::invalid("--out BUNDLE.tar is required"));
  const bool json = c->args.flag("json");
  Progress progress(json);
  const ota::bundle::ExportRequest req{c->args.positional()[0], *out, tuf_dir(c->layout), c->layout.state_dir + "/downloads",
                                       c->args.flag("chunks-only")};
  auto r = ota::bundle::export_bundle(ota::system_file_ops(), c->repo, req, static_cast<int64_t>(std::time(nullptr)),
                                      progress.fn);
  if (!r) return report(r.error());
  if (json) {
    text::out() << nlohmann::ordered_json{{"event", "exported"}, {"target", req.target},     {"bundle", *out},
                                        {"bytes", r->bytes},   {"members", r->members},   {"left_out", r->left_out},
                                        {"root_version", r->root_version},
                                        {"targets_version", r->targets_version}}
                     .dump()
              << "\n";
  } else {
    text::out() << "exported " << req.target << " to " << *out << " (" << r->members.size() << " files, " << r->bytes
              << " bytes; root v" << r->root_version << ", targets v" << r->targets_version << "); on the device: "
              << "edgeward ota install " << req.target << " --bundle " << *out << "\n";
  }
  return kExitOk;
}

}  // namespace edgeward::cli
