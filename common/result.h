// Result<T>: a value or an Error, returned by value (errors as values, no exceptions).
// A message says what was wrong, where, and what to do; `code` groups errors per module
// so callers and the CLI can map them to exit codes.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace edgeward {

enum class ErrorCode {
  kInvalidInput = 2,  // the user gave us something malformed (exit code 2)
  kNotFound = 3,
  kIo = 4,
  kPermission = 5,
  kUnsupported = 6,
  kInternal = 70,
};

struct [[nodiscard]] Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  static Error invalid(std::string m) { return {ErrorCode::kInvalidInput, std::move(m)}; }
  static Error not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Error io(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
  static Error unsupported(std::string m) { return {ErrorCode::kUnsupported, std::move(m)}; }
  static Error internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  // Prefixes context ("while reading X: ") to the message.
  Error context(const std::string& where) && {
    message = where + ": " + message;
    return std::move(*this);
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace edgeward

// Propagates an error from an expression returning Result<...>.
#define EW_TRY(expr)                                   \
  do {                                                 \
    auto ew_try_r_ = (expr);                           \
    if (!ew_try_r_.ok()) return std::move(ew_try_r_).error(); \
  } while (0)

// Assigns the value of a Result<T> expression to `lhs` or propagates its error.
#define EW_ASSIGN(lhs, expr) EW_ASSIGN_IMPL_(EW_CONCAT_(ew_r_, __LINE__), lhs, expr)
#define EW_CONCAT_INNER_(a, b) a##b
#define EW_CONCAT_(a, b) EW_CONCAT_INNER_(a, b)
#define EW_ASSIGN_IMPL_(tmp, lhs, expr)              \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).error();      \
  lhs = std::move(tmp).value()
