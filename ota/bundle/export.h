// `edgeward ota export`: an offline update bundle for air-gapped devices. Refreshes the exporting
// machine's trusted metadata from the repository (the full TUF workflow, so only verified
// metadata is shipped), then writes one tar (bundle_writer.h) with
//   metadata/1.root.json ... N.root.json   every root the repository has, so a device trusting
//                                         any older root follows the rotations
//   metadata/timestamp.json, metadata/<v>.snapshot.json, metadata/<v>.targets.json
//                                         the exact bytes the refresh verified
//   targets/<sha256>.<name>                TARGET, or each member of a release, verified on download,
//                                         and after an image with chunks its chunk index and blob
//                                         (`ota install --bundle` assembles the image from chunks
//                                         on the device and the blob in the bundle, delta_download.h)
// under the repository's own names, so `ota install --bundle` runs the online client unchanged
// over it (bundle_source.h). Before returning, the bundle is checked the way a device will check
// it: a refresh over it from the trusted root and every target read back and checked by the
// device's download code; a bundle that fails is deleted. With `chunks_only`, an image that has a
// chunk index and blob is left out (the blob holds every chunk, compressed: a device builds the
// image from it and whatever chunks it has), so the bundle is about the compressed size of the
// image instead of image + blob; such a bundle has no whole image to fall back on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "ota/client/refresh.h"
#include "ota/transport/progress.h"

namespace edgeward::ota::bundle {

struct ExportRequest {
  std::string target;         // a target name of the repository (a release brings its members)
  std::string out;            // the bundle file to write
  std::string tuf_dir;        // the exporter's trusted metadata (<state>/tuf)
  std::string downloads_dir;  // where targets are downloaded first (<state>/downloads)
  bool chunks_only = false;   // leave out images that have chunks (their index and blob go in)
};

struct ExportResult {
  std::vector<std::string> members;  // in the order written
  std::vector<std::string> left_out; // targets whose chunks stand in for them (chunks_only)
  uint64_t bytes = 0;                // size of the bundle
  uint64_t root_version = 0, targets_version = 0;
};

Result<ExportResult> export_bundle(FileOps& ops, const client::Repository& repo, const ExportRequest& req,
                                   int64_t system_now, const ProgressFn& progress = {});

// The repository URL that reads a bundle file in place ("bundle:/abs/path.tar!").
Result<std::string> bundle_repository_url(const std::string& bundle_path);

}  // namespace edgeward::ota::bundle
