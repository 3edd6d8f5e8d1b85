// Resumable, verified download of one file: bytes from a ByteSource go to DEST.part while a
// SHA-256 runs over them; only when length and digest equal what the caller expects is the
// .part made durable (fsync) and renamed to DEST (then the directory fsynced).
//   - an existing DEST.part is re-hashed and the download continues from its length (Range);
//     a source that restarts from zero (HTTP 200 instead of 206) truncates it first; one that
//     has nothing at that offset (416) or a .part longer than expected starts over from zero
//   - a wrong length or digest deletes the .part and names expected vs got
//   - an interrupted transfer (connection lost, timeout) keeps the .part for the next run
//   - the .part is flock()ed: a second download of the same DEST fails instead of interleaving
#pragma once

#include <cstdint>
#include <string>

#include "attest/crypto/sha256.h"
#include "ota/transport/byte_source.h"
#include "ota/transport/progress.h"

namespace edgeward::ota {

struct DownloadTarget {
  std::string dest;            // final path; DEST.part next to it while downloading
  uint64_t size = 0;           // expected length (also the hard cap on what the source may send)
  attest::Digest sha256{};     // expected digest
};

struct DownloadReport {
  uint64_t resumed_from = 0;   // bytes of an earlier .part that were kept
  uint64_t fetched = 0;        // bytes read from the source in this run
  bool restarted = false;      // an earlier .part was discarded (source restarted at 0, 416, too long)
};

Result<DownloadReport> download(ByteSource& source, const DownloadTarget& target, const ProgressFn& progress = {});

}  // namespace edgeward::ota
