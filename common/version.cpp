#include "common/version.h"

#include <pb_decode.h>
#include <pb_encode.h>

#include <cstring>

#include "common/build_config.h"
#include "common/version.pb.h"

namespace edgeward {
namespace {

template <size_t N>
bool copy_field(char (&dst)[N], const std::string& src) {
  if (src.size() >= N) return false;
  std::memcpy(dst, src.c_str(), src.size() + 1);
  return true;
}

}  // namespace

Version current_version() {
  return {EDGEWARD_VERSION, EDGEWARD_GIT_COMMIT, EDGEWARD_ARCH, EDGEWARD_BOARD};
}

Result<std::vector<uint8_t>> encode_version(const Version& v) {
  edgeward_VersionInfo msg = edgeward_VersionInfo_init_zero;
  if (!copy_field(msg.version, v.version) || !copy_field(msg.git_commit, v.git_commit) ||
      !copy_field(msg.arch, v.arch) || !copy_field(msg.board, v.board)) {
    return Error::invalid("version field too long for VersionInfo (see common/version.options)");
  }
  std::vector<uint8_t> out(edgeward_VersionInfo_size);
  pb_ostream_t stream = pb_ostream_from_buffer(out.data(), out.size());
  if (!pb_encode(&stream, edgeward_VersionInfo_fields, &msg)) {
    return Error::internal(std::string("encoding VersionInfo: ") + PB_GET_ERROR(&stream));
  }
  out.resize(stream.bytes_written);
  return out;
}

Result<Version> decode_version(const std::vector<uint8_t>& bytes) {
  edgeward_VersionInfo msg = edgeward_VersionInfo_init_zero;
  pb_istream_t stream = pb_istream_from_buffer(bytes.data(), bytes.size());
  if (!pb_decode(&stream, edgeward_VersionInfo_fields, &msg)) {
    return Error::invalid(std::string("malformed VersionInfo message: ") + PB_GET_ERROR(&stream));
  }
  return Version{msg.version, msg.git_commit, msg.arch, msg.board};
}

}  // namespace edgeward
