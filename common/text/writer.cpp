#include "common/text/writer.h"

namespace edgeward::text {

Writer& Writer::operator<<(double v) {
  char b[64];
  const int n = std::snprintf(b, sizeof b, "%g", v);
  return *this << std::string_view(b, n > 0 ? static_cast<size_t>(n) : 0);
}

void Writer::write(const char* data, size_t size) {
  if (file_ == nullptr) {
    text_.append(data, size);
  } else if (size > 0) {
    std::fwrite(data, 1, size, file_);
  }
}

void Writer::flush() {
  if (file_ != nullptr) std::fflush(file_);
}

Writer& out() {
  static Writer w(stdout);
  return w;
}

Writer& err() {
  static Writer w(stderr);
  return w;
}

}  // namespace edgeward::text
