// Text output without iostreams: `out() << "pid " << pid << "\n"` gives the bytes std::cout
// would (integers in decimal, char as itself, bool as 1/0, double as "%g"), without linking
// libstdc++'s locale machinery (~350 KiB of the static binary). out() and err() write through
// stdout/stderr (the FILE* std::cout and std::cerr are synced with), so ordering with printf
// and between the two streams is unchanged; a default Writer collects into str() instead.
#pragma once

#include <charconv>
#include <concepts>
#include <cstdio>
#include <string>
#include <string_view>

namespace edgeward::text {

class Writer {
 public:
  Writer() = default;
  explicit Writer(std::FILE* file) : file_(file) {}

  Writer& operator<<(std::string_view s) {
    write(s.data(), s.size());
    return *this;
  }
  Writer& operator<<(const char* s) { return *this << std::string_view(s); }
  Writer& operator<<(const std::string& s) { return *this << std::string_view(s); }
  Writer& operator<<(char c) { return *this << std::string_view(&c, 1); }
  Writer& operator<<(signed char c) { return *this << static_cast<char>(c); }
  Writer& operator<<(unsigned char c) { return *this << static_cast<char>(c); }
  Writer& operator<<(bool b) { return *this << (b ? '1' : '0'); }
  Writer& operator<<(double v);  // an ostream's default: "%g", 6 significant digits
  template <std::integral T>
  Writer& operator<<(T v) {
    char b[24];
    const auto r = std::to_chars(b, b + sizeof b, v);
    return *this << std::string_view(b, static_cast<size_t>(r.ptr - b));
  }

  void write(const char* data, size_t size);
  void flush();
  // What a default-constructed Writer collected.
  const std::string& str() const { return text_; }

 private:
  std::FILE* file_ = nullptr;
  std::string text_;
};

Writer& out();  // stdout
Writer& err();  // stderr

}  // namespace edgeward::text
