#include "attest/verifier/reference.h"

#include <tinyxml2.h>

#include <cstring>

#include "attest/error.h"
#include "attest/fileio.h"

namespace edgeward::attest {
namespace {

Error at(std::string_view source, int line, const std::string& m) {
  return make_error(Errc::kMalformed, std::string(source) + ":" + std::to_string(line) + ": " + m);
}

Result<std::string> attr(const tinyxml2::XMLElement* e, const char* name, std::string_view source) {
  const char* v = e->Attribute(name);
  if (!v || !*v) return at(source, e->GetLineNum(), "<" + std::string(e->Name()) + "> needs a " + name + "=\"...\" attribute");
  return std::string(v);
}

Result<Digest> digest_attr(const tinyxml2::XMLElement* e, std::string_view source) {
  EW_ASSIGN(std::string hex, attr(e, "digest", source));
  auto d = digest_from_hex(hex);
  if (!d) return at(source, e->GetLineNum(), "digest \"" + hex.substr(0, 80) + "\" is not 64 hex digits (SHA-256)");
  return *d;
}

// An optional unsigned decimal attribute (at most 18 digits); `fallback` when absent.
Result<uint64_t> number_attr(const tinyxml2::XMLElement* e, const char* name, uint64_t fallback, std::string_view source) {
  const char* v = e->Attribute(name);
  if (!v) return fallback;
  const std::string_view text(v);
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return at(source, e->GetLineNum(), std::string(name) + "=\"" + std::string(text.substr(0, 40)) + "\" is not a number");
  }
  return std::stoull(std::string(text));
}

// Only the attributes in `allowed` may appear.
Status only_attrs(const tinyxml2::XMLElement* e, std::initializer_list<const char*> allowed, std::string_view source) {
  for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) {
    bool ok = false;
    for (const char* n : allowed) ok = ok || std::strcmp(n, a->Name()) == 0;
    if (!ok) return at(source, e->GetLineNum(), "unknown attribute '" + std::string(a->Name()) + "' on <" + e->Name() + ">");
  }
  return {};
}

}  // namespace

Result<Reference> parse_reference_xml(std::string_view xml, std::string_view source) {
  if (xml.size() > kMaxReferenceBytes) return make_error(Errc::kMalformed, std::string(source) + ": larger than 256 KiB");
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    return at(source, doc.ErrorLineNum(), std::string("malformed XML: ") + doc.ErrorStr());
  }
  const tinyxml2::XMLElement* root = doc.RootElement();
  if (!root || std::strcmp(root->Name(), "reference") != 0) return at(source, root ? root->GetLineNum() : 1, "root element must be <reference>");
  EW_TRY(only_attrs(root, {"schema"}, source));
  if (!root->Attribute("schema", "1")) return at(source, root->GetLineNum(), "<reference> needs schema=\"1\"");
  Reference ref;
  for (const tinyxml2::XMLElement* e = root->FirstChildElement(); e; e = e->NextSiblingElement()) {
    const std::string name = e->Name();
    if (e->FirstChild()) return at(source, e->GetLineNum(), "<" + name + "> must be empty (values are attributes)");
    if (name == "runtime") {
      EW_TRY(only_attrs(e, {"version"}, source));
      EW_ASSIGN(std::string v, attr(e, "version", source));
      ref.runtime_versions.push_back(std::move(v));
    } else if (name == "runtime-binary") {
      EW_TRY(only_attrs(e, {"digest"}, source));
      EW_ASSIGN(Digest d, digest_attr(e, source));
      ref.runtime_binaries.push_back(d);
    } else if (name == "image") {
      EW_TRY(only_attrs(e, {"name", "digest"}, source));
      ReferenceImage img;
      EW_ASSIGN(img.name, attr(e, "name", source));
      EW_ASSIGN(img.digest, digest_attr(e, source));
      ref.images.push_back(std::move(img));
    } else if (name == "board") {
      EW_TRY(only_attrs(e, {"name"}, source));
      EW_ASSIGN(std::string b, attr(e, "name", source));
      ref.boards.push_back(std::move(b));
    } else if (name == "revoked-device-cert") {
      EW_TRY(only_attrs(e, {"digest"}, source));
      EW_ASSIGN(Digest d, digest_attr(e, source));
      ref.revoked_device_certs.push_back(d);
    } else if (name == "ota") {
      EW_TRY(only_attrs(e, {"min-targets-version"}, source));
      if (ref.ota) return at(source, e->GetLineNum(), "more than one <ota> element");
      EW_ASSIGN(uint64_t min, number_attr(e, "min-targets-version", 0, source));
      ref.ota = ReferenceOta{min};
    } else {
      return at(source, e->GetLineNum(),
                "unknown element <" + name + "> (expected runtime, runtime-binary, image, board, revoked-device-cert, ota)");
    }
  }
  if (ref.runtime_versions.empty()) return at(source, root->GetLineNum(), "no <runtime version=\"...\"/>: list the allowed runtime versions");
  return ref;
}

Result<Reference> load_reference(const std::string& path) {
  EW_ASSIGN(std::string xml, read_text_file(path, kMaxReferenceBytes));
  return parse_reference_xml(xml, path);
}

}  // namespace edgeward::attest
