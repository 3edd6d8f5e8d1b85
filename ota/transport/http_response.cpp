// HTTP/1.1 response parsing with libhttp-parser (see http_response.h).
#include "ota/transport/http_response.h"

#include <strings.h>

#include <climits>

namespace edgeward::ota {
namespace {

ResponseParser* self(http_parser* p) { return static_cast<ResponseParser*>(p->data); }

}  // namespace

ResponseParser::ResponseParser(size_t max_header_bytes) : max_header_bytes_(max_header_bytes) {
  http_parser_init(&parser_, HTTP_RESPONSE);
  parser_.data = this;
  http_parser_settings_init(&settings_);
  settings_.on_status = on_status;
  settings_.on_header_field = on_header_field;
  settings_.on_header_value = on_header_value;
  settings_.on_headers_complete = on_headers_complete;
  settings_.on_body = on_body;
  settings_.on_message_complete = on_message_complete;
}

int ResponseParser::on_status(http_parser*, const char*, size_t) { return 0; }

int ResponseParser::on_header_field(http_parser* p, const char* at, size_t len) {
  ResponseParser* s = self(p);
  if (s->in_value_) s->commit_header();
  s->field_.append(at, len);
  return 0;
}

int ResponseParser::on_header_value(http_parser* p, const char* at, size_t len) {
  ResponseParser* s = self(p);
  s->in_value_ = true;
  s->value_.append(at, len);
  return 0;
}

// The headers this client acts on; each may appear once.
void ResponseParser::commit_header() {
  auto once = [&](std::optional<std::string>& slot) {
    if (slot) error_ = "header '" + field_ + "' appears twice";
    slot = value_;
  };
  if (strcasecmp(field_.c_str(), "Content-Range") == 0) {
    once(head_.content_range);
  } else if (strcasecmp(field_.c_str(), "Location") == 0) {
    head_.location = value_.substr(0, 512);
  }
  field_.clear();
  value_.clear();
  in_value_ = false;
}

int ResponseParser::on_headers_complete(http_parser* p) {
  ResponseParser* s = self(p);
  if (s->in_value_) s->commit_header();
  s->head_.status = static_cast<int>(p->status_code);
  s->head_.chunked = (p->flags & F_CHUNKED) != 0;
  if (!s->head_.chunked && p->content_length != ULLONG_MAX) s->head_.content_length = p->content_length;
  s->head_done_ = true;
  http_parser_pause(p, 1);  // hand the head to the caller before any body byte
  return 0;
}

int ResponseParser::on_body(http_parser* p, const char* at, size_t len) {
  const auto* b = reinterpret_cast<const uint8_t*>(at);
  self(p)->body_->insert(self(p)->body_->end(), b, b + len);
  return 0;
}

int ResponseParser::on_message_complete(http_parser* p) {
  self(p)->complete_ = true;
  http_parser_pause(p, 1);  // anything after the message is not ours to read
  return 0;
}

Result<size_t> ResponseParser::feed(std::span<const uint8_t> in, std::vector<uint8_t>& body) {
  if (complete_) return size_t{0};
  const bool in_head = !head_done_;
  body_ = &body;
  const size_t n = http_parser_execute(&parser_, &settings_, reinterpret_cast<const char*>(in.data()), in.size());
  body_ = nullptr;
  const auto err = static_cast<http_errno>(parser_.http_errno);
  if (in_head) head_bytes_ += n;
  if (error_) return Error::invalid("malformed HTTP response: " + *error_);
  if (err != HPE_OK && err != HPE_PAUSED) {
    return Error::invalid(std::string("malformed HTTP response: ") + http_errno_description(err));
  }
  if (head_bytes_ > max_header_bytes_ || (!head_done_ && head_bytes_ == max_header_bytes_)) {
    return Error::invalid("HTTP response head is larger than " + std::to_string(max_header_bytes_) + " bytes");
  }
  if (err == HPE_PAUSED && !complete_) http_parser_pause(&parser_, 0);
  return n;
}

Status ResponseParser::finish(std::vector<uint8_t>& body) {
  if (complete_) return {};
  body_ = &body;
  http_parser_execute(&parser_, &settings_, nullptr, 0);
  body_ = nullptr;
  if (complete_) return {};
  if (!head_done_) return Error::io("the server closed the connection before sending a complete response head");
  return Error::io("the server closed the connection before the end of the response body");
}

}  // namespace edgeward::ota
