// Reading words, numbers and lines out of a string the way an istringstream's >> and
// std::getline do (whitespace-separated; a failed read stops every later one), without
// iostreams. For /proc and cgroup files and other small texts.
#pragma once

#include <algorithm>
#include <charconv>
#include <concepts>
#include <string>
#include <string_view>

namespace edgeward::text {

class Scanner {
 public:
  explicit Scanner(std::string text) : text_(std::move(text)) {}

  Scanner& operator>>(std::string& word) {
    skip_space();
    size_t end = pos_;
    while (end < text_.size() && !space(text_[end])) ++end;
    if (end == pos_) ok_ = false;
    if (ok_) word.assign(text_, pos_, end - pos_);
    if (ok_) pos_ = end;
    return *this;
  }
  Scanner& operator>>(char& c) {
    skip_space();
    if (pos_ >= text_.size()) ok_ = false;
    if (ok_) c = text_[pos_++];
    return *this;
  }
  template <std::integral T>
  Scanner& operator>>(T& v) {
    skip_space();
    if (!ok_) return *this;
    if (pos_ < text_.size() && text_[pos_] == '+') ++pos_;
    const auto r = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), v);
    if (r.ec != std::errc()) ok_ = false;
    pos_ = static_cast<size_t>(r.ptr - text_.data());
    return *this;
  }
  explicit operator bool() const { return ok_; }

  // The text up to `delim` (consumed, not stored); fails only when nothing is left.
  friend Scanner& getline(Scanner& s, std::string& line, char delim = '\n') {
    if (!s.ok_ || s.pos_ >= s.text_.size()) {
      s.ok_ = false;
      return s;
    }
    const size_t end = std::min(s.text_.find(delim, s.pos_), s.text_.size());
    line.assign(s.text_, s.pos_, end - s.pos_);
    s.pos_ = end < s.text_.size() ? end + 1 : end;
    return s;
  }

 private:
  static bool space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
  void skip_space() {
    if (!ok_) return;
    while (pos_ < text_.size() && space(text_[pos_])) ++pos_;
    if (pos_ >= text_.size()) ok_ = false;
  }

  std::string text_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace edgeward::text
