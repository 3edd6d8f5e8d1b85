// Small helpers shared by attest/'s nanopb codecs: bounded string/bytes copies into the
// generated fixed-size fields, and encode/decode of a whole message with errors that name it.
#pragma once

#include <pb_decode.h>
#include <pb_encode.h>

#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "attest/error.h"
#include "common/result.h"

namespace edgeward::attest::pb {

// Copies `src` into a nanopb char array; false when it does not fit (with its NUL).
template <size_t N>
bool put_string(char (&dst)[N], std::string_view src) {
  if (src.size() >= N || src.find('\0') != std::string_view::npos) return false;
  std::memcpy(dst, src.data(), src.size());
  dst[src.size()] = '\0';
  return true;
}

// Copies `src` into a nanopb PB_BYTES_ARRAY field (struct with size + bytes[N]).
template <typename BytesField>
bool put_bytes(BytesField& dst, std::span<const uint8_t> src) {
  if (src.size() > sizeof dst.bytes) return false;
  std::memcpy(dst.bytes, src.data(), src.size());
  dst.size = static_cast<pb_size_t>(src.size());
  return true;
}

template <typename BytesField>
std::vector<uint8_t> get_bytes(const BytesField& f) {
  return std::vector<uint8_t>(f.bytes, f.bytes + f.size);
}

// The integer a decoder stored in an enum field. nanopb stores whatever number came off the wire,
// which may be outside the enum's range, so the field must not be read as the enum type.
template <typename Enum>
int64_t enum_value(const Enum& field) {
  static_assert(sizeof(Enum) == 4 || sizeof(Enum) == 8);
  if constexpr (sizeof(Enum) == 4) {
    int32_t v;
    std::memcpy(&v, &field, sizeof v);
    return v;
  } else {
    int64_t v;
    std::memcpy(&v, &field, sizeof v);
    return v;
  }
}

template <typename Msg>
Result<std::vector<uint8_t>> encode(const pb_msgdesc_t* fields, const Msg& msg, size_t max_size, std::string_view what) {
  std::vector<uint8_t> out(max_size);
  pb_ostream_t stream = pb_ostream_from_buffer(out.data(), out.size());
  if (!pb_encode(&stream, fields, &msg)) {
    return make_error(Errc::kCrypto, "encoding " + std::string(what) + ": " + PB_GET_ERROR(&stream));
  }
  out.resize(stream.bytes_written);
  return out;
}

template <typename Msg>
Status decode(const pb_msgdesc_t* fields, Msg& msg, std::span<const uint8_t> bytes, size_t max_size,
              std::string_view what) {
  if (bytes.size() > max_size) {
    return make_error(Errc::kMalformed, std::string(what) + " is " + std::to_string(bytes.size()) +
                                            " bytes, more than the " + std::to_string(max_size) + " allowed");
  }
  pb_istream_t stream = pb_istream_from_buffer(bytes.data(), bytes.size());
  if (!pb_decode(&stream, fields, &msg)) {
    return make_error(Errc::kMalformed, "malformed " + std::string(what) + ": " + PB_GET_ERROR(&stream));
  }
  return {};
}

}  // namespace edgeward::attest::pb
