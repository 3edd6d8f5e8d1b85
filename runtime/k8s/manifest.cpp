#include "runtime/k8s/manifest.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iterator>

#include "common/text/file_text.h"

namespace edgeward::k8s {
namespace {

std::string where(std::string_view source, size_t line, size_t column) {
  return std::string(source) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

// Line and column (1-based) of a byte offset, for nlohmann's byte positions.
std::pair<size_t, size_t> line_column(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

Result<Json> parse_json(std::string_view text, std::string_view source) {
  const std::string copy(text);  // parse(std::string): the instantiation the rest of edgeward shares
  try {
    return Json::parse(copy);
  } catch (const Json::parse_error& e) {
    auto [line, column] = line_column(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    if (auto pos = what.find("parse error"); pos != std::string::npos) what = what.substr(pos);
    return Error::invalid(where(source, line, column) + ": malformed JSON: " + what);
  } catch (const Json::exception& e) {  // e.g. out_of_range: a number too large for a double
    return Error::invalid(std::string(source) + ": malformed JSON: " + e.what());
  }
}

}  // namespace

Status check_manifest_size(size_t size, std::string_view source) {
  if (size <= kMaxManifestBytes) return {};
  return Error::invalid(std::string(source) + ": manifest is larger than the limit of " +
                        std::to_string(kMaxManifestBytes) + " bytes");
}

Result<Json> parse_manifest(std::string_view text, std::string_view source, ManifestFormat format) {
  EW_TRY(check_manifest_size(text.size(), source));
  if (format == ManifestFormat::kAuto) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    format = first != std::string_view::npos && text[first] == '{' ? ManifestFormat::kJson : ManifestFormat::kYaml;
  }
  return format == ManifestFormat::kJson ? parse_json(text, source) : parse_yaml(text, source);
}

Result<Json> load_manifest_file(const std::string& path) {
  auto read = text::read_file(path, kMaxManifestBytes + 1);
  if (!read) return Error::not_found(path + ": cannot open manifest file: " + std::strerror(errno));
  std::string text = std::move(*read);
  EW_TRY(check_manifest_size(text.size(), path));
  auto ends_with = [&](std::string_view s) { return path.size() >= s.size() && path.ends_with(s); };
  ManifestFormat format = ManifestFormat::kAuto;
  if (ends_with(".json")) format = ManifestFormat::kJson;
  if (ends_with(".yaml") || ends_with(".yml")) format = ManifestFormat::kYaml;
  return parse_manifest(text, path, format);
}

}  // namespace edgeward::k8s
