// The API codec and framing: round trips, then hostile input (error cases first in each table).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "runtime/daemon/frame.h"
#include "runtime/daemon/protocol.h"

namespace edgeward::daemon {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<uint8_t> b) { return b; }

TEST(Frame, RefusesOversizedLengthBeforeReadingThePayload) {
  const auto buf = bytes({0x00, 0x10, 0x00, 0x01});  // 1 MiB + 1
  auto r = parse_frame(buf, kMaxRequestBytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("larger than the 4096 allowed"), std::string::npos) << r.error().message;
}

TEST(Frame, NeedsMoreBytesForAPartialHeaderOrPayload) {
  for (const auto& buf : {bytes({}), bytes({0, 0, 0}), bytes({0, 0, 0, 3, 'a', 'b'})}) {
    auto r = parse_frame(buf, 100);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->has_value()) << "size " << buf.size();
  }
}

TEST(Frame, ParsesWhatMakeFrameWrote) {
  const std::vector<uint8_t> payload{1, 2, 3, 4, 5};
  auto f = make_frame(payload);
  f.push_back(0xEE);  // the start of the next frame stays unconsumed
  auto r = parse_frame(f, 100);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ(std::vector<uint8_t>((*r)->payload.begin(), (*r)->payload.end()), payload);
  EXPECT_EQ((*r)->consumed, 9u);
}

TEST(Frame, SocketRoundTripAndCleanClose) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  const std::vector<uint8_t> payload(3000, 0x5A);
  ASSERT_TRUE(write_frame(sv[0], payload).ok());
  auto got = read_frame(sv[1], kMaxRequestBytes);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, payload);
  ::close(sv[0]);
  auto closed = read_frame(sv[1], kMaxRequestBytes);
  ASSERT_TRUE(closed.ok());
  EXPECT_FALSE(closed->has_value()) << "a close between frames is not an error";
  ::close(sv[1]);
}

TEST(Frame, CloseInTheMiddleOfAFrameIsAnError) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  const auto partial = bytes({0, 0, 0, 10, 'x'});
  ASSERT_EQ(::write(sv[0], partial.data(), partial.size()), 5);
  ::close(sv[0]);
  auto r = read_frame(sv[1], 100);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("middle of a frame"), std::string::npos);
  ::close(sv[1]);
}

struct BadRequest {
  const char* what;
  Request request;
  const char* error;
};

TEST(Protocol, RefusesBadRequests) {
  const BadRequest cases[] = {
      {"stop without a name", {.op = Op::kStop}, "is not a workload name"},
      {"name with a slash", {.op = Op::kInspect, .name = "../etc"}, "is not a workload name"},
      {"name starting with a dash", {.op = Op::kRm, .name = "-rf"}, "is not a workload name"},
      {"run with a relative image", {.op = Op::kRun, .image = "a.ewi"}, "must be absolute"},
      {"run with a bad name", {.op = Op::kRun, .name = "a b", .image = "/a.ewi"}, "is not a workload name"},
  };
  for (const auto& c : cases) {
    auto enc = encode_request(c.request);
    ASSERT_TRUE(enc.ok()) << c.what;
    auto dec = decode_request(*enc);
    ASSERT_FALSE(dec.ok()) << c.what;
    EXPECT_NE(dec.error().message.find(c.error), std::string::npos) << c.what << ": " << dec.error().message;
    EXPECT_EQ(dec.error().code, ErrorCode::kInvalidInput);
  }
}

TEST(Protocol, RefusesUnknownOpsGarbageAndOversizedStrings) {
  EXPECT_FALSE(decode_request(bytes({0x08, 0x63})).ok()) << "op 99";
  EXPECT_FALSE(decode_request(bytes({0x08})).ok()) << "truncated varint";
  EXPECT_FALSE(decode_request(bytes({0x12, 0x05, 'a'})).ok()) << "string longer than the message";
  std::vector<uint8_t> long_name{0x08, 0x04, 0x12, 100};
  long_name.resize(long_name.size() + 100, 'a');
  EXPECT_FALSE(decode_request(long_name).ok()) << "name over 63 bytes";
  EXPECT_FALSE(encode_request({.op = Op::kRun, .image = "/" + std::string(300, 'x')}).ok());
  EXPECT_FALSE(decode_request(std::vector<uint8_t>(kMaxRequestBytes + 1, 0)).ok());
}

TEST(Protocol, RequestRoundTrip) {
  const Request cases[] = {
      {.op = Op::kRun, .name = "web-1", .image = "/var/img/a.ewi", .backend = "sandbox", .restart = "on-failure:3"},
      {.op = Op::kPs},
      {.op = Op::kStop, .name = "w", .timeout_s = 7},
      {.op = Op::kRm, .name = "w.2", .force = true},
      {.op = Op::kLogs, .name = "w_3", .offset = 1ull << 40},
      {.op = Op::kMetrics},
  };
  for (const auto& r : cases) {
    auto enc = encode_request(r);
    ASSERT_TRUE(enc.ok());
    auto dec = decode_request(*enc);
    ASSERT_TRUE(dec.ok()) << dec.error().message;
    EXPECT_EQ(*dec, r);
  }
}

TEST(Protocol, ResponseRoundTripWithTheMostWorkloadsAndData) {
  Response r;
  r.note = "sandbox: KVM is slow" + std::string(299, '.');
  r.data = std::string(kMaxDataBytes, 'L');
  r.offset = 123;
  r.eof = true;
  for (size_t i = 0; i < kMaxWorkloads; ++i) {
    WorkloadInfo w;
    w.name = "w" + std::to_string(i);
    w.image = "/" + std::string(250, 'i');
    w.signer = std::string(127, 's');
    w.image_name = std::string(95, 'n');
    w.backend_reason = std::string(319, 'r');
    w.container_id = std::string(79, 'c');
    w.log_path = "/" + std::string(250, 'l');
    w.status = "running";
    w.pid = 4242;
    w.has_exit = true;
    w.exit_status = 137;
    w.restarts = 9;
    r.workloads.push_back(w);
  }
  auto enc = encode_response(r);
  ASSERT_TRUE(enc.ok()) << enc.error().message;
  EXPECT_LE(enc->size(), kMaxResponseBytes);
  auto dec = decode_response(*enc);
  ASSERT_TRUE(dec.ok()) << dec.error().message;
  EXPECT_EQ(*dec, r);
}

TEST(Protocol, AnOverlongReasonIsCutWithAMark) {
  Response r;
  WorkloadInfo w;
  w.name = "w";
  w.backend_reason = "sandbox: KVM is not usable: " + std::string(400, 'x');
  r.workloads.push_back(w);
  auto dec = decode_response(*encode_response(r));
  ASSERT_TRUE(dec.ok()) << dec.error().message;
  const std::string& got = dec->workloads.at(0).backend_reason;
  EXPECT_EQ(got.size(), 319u);
  EXPECT_TRUE(got.starts_with("sandbox: KVM is not usable: xxx"));
  EXPECT_TRUE(got.ends_with("\u2026")) << got;
}

TEST(Protocol, FailureKeepsCodeAndMessage) {
  const Response r = Response::failure(Error::not_found("no workload named 'x'"));
  auto dec = decode_response(*encode_response(r));
  ASSERT_TRUE(dec.ok());
  EXPECT_FALSE(dec->ok());
  EXPECT_EQ(dec->to_error().code, ErrorCode::kNotFound);
  EXPECT_EQ(dec->to_error().message, "no workload named 'x'");
  Response too_many;
  too_many.workloads.resize(kMaxWorkloads + 1);
  EXPECT_FALSE(encode_response(too_many).ok());
}

}  // namespace
}  // namespace edgeward::daemon
