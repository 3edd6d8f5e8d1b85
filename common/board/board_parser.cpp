#include "common/board/board_parser.h"

#include <tinyxml2.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "common/board/labels.h"
#include "common/text/file_text.h"
#include "common/units.h"

namespace edgeward::board {
namespace {

using tinyxml2::XMLElement;

constexpr uint32_t kMaxCpus = 4096;
constexpr size_t kMaxLabels = 256;
constexpr size_t kMaxText = 4096;

class Parser {
 public:
  explicit Parser(std::string_view source) : source_(source) {}

  Error error_at(int line, const std::string& what) const {
    return Error::invalid(std::string(source_) + ":" + std::to_string(line) + ": " + what);
  }

  // The single child element `name` of `parent`, refusing duplicates; null when absent.
  Result<const XMLElement*> optional_child(const XMLElement& parent, const char* name) const {
    const XMLElement* first = parent.FirstChildElement(name);
    if (first && first->NextSiblingElement(name)) {
      return error_at(first->NextSiblingElement(name)->GetLineNum(),
                      std::string("<") + name + "> appears more than once; keep one");
    }
    return first;
  }

  Result<const XMLElement*> child(const XMLElement& parent, const char* name) const {
    EW_ASSIGN(const XMLElement* e, optional_child(parent, name));
    if (!e) {
      return error_at(parent.GetLineNum(), std::string("<") + parent.Name() + "> is missing the required <" +
                                               name + "> element");
    }
    return e;
  }

  Result<std::string> text(const XMLElement& e) const {
    const char* t = e.GetText();
    std::string s = t ? t : "";
    if (s.empty()) return error_at(e.GetLineNum(), std::string("<") + e.Name() + "> is empty");
    if (s.size() > kMaxText) return error_at(e.GetLineNum(), std::string("<") + e.Name() + "> is too long");
    return s;
  }

  Result<std::string> attr(const XMLElement& e, const char* name) const {
    const char* a = e.Attribute(name);
    if (!a || !*a) {
      return error_at(e.GetLineNum(),
                      std::string("<") + e.Name() + "> is missing the attribute " + name + "=\"...\"");
    }
    if (std::string_view(a).size() > kMaxText) {
      return error_at(e.GetLineNum(), std::string("attribute ") + name + " is too long");
    }
    return std::string(a);
  }

  Result<std::string> absolute_path(const XMLElement& e, const char* name) const {
    EW_ASSIGN(std::string p, attr(e, name));
    if (p.front() != '/') {
      return error_at(e.GetLineNum(), std::string(name) + "=\"" + p + "\" must be an absolute path");
    }
    return p;
  }

  Status no_unknown_children(const XMLElement& e, std::initializer_list<std::string_view> known) const {
    for (const XMLElement* c = e.FirstChildElement(); c; c = c->NextSiblingElement()) {
      bool ok = false;
      for (auto k : known) ok = ok || k == c->Name();
      if (!ok) {
        return error_at(c->GetLineNum(),
                        std::string("unknown element <") + c->Name() + "> inside <" + e.Name() + ">");
      }
    }
    return {};
  }

  Result<Board> parse(const XMLElement& root) const;

 private:
  Status parse_storage(const XMLElement& e, Storage& out) const;
  Status parse_labels(const XMLElement& e, Board& out) const;
  Status parse_userns(const XMLElement& e, UserNamespaces& out) const;

  std::string_view source_;
};

Status Parser::parse_storage(const XMLElement& e, Storage& out) const {
  EW_TRY(no_unknown_children(e, {"slot"}));
  EW_ASSIGN(out.data_path, absolute_path(e, "data"));
  std::set<std::string> seen;
  for (const XMLElement* s = e.FirstChildElement("slot"); s; s = s->NextSiblingElement("slot")) {
    EW_ASSIGN(std::string name, attr(*s, "name"));
    if (name != "A" && name != "B") {
      return error_at(s->GetLineNum(), "slot name \"" + name + "\" is not A or B");
    }
    if (!seen.insert(name).second) return error_at(s->GetLineNum(), "slot " + name + " is declared twice");
    EW_ASSIGN(std::string path, absolute_path(*s, "path"));
    out.slots.push_back({name, path});
  }
  if (seen.size() != 2) {
    return error_at(e.GetLineNum(), "<storage> must declare both slots A and B (A/B updates need two)");
  }
  if (out.slots[0].path == out.slots[1].path) {
    return error_at(e.GetLineNum(), "slots A and B must not share a path");
  }
  return {};
}

Status Parser::parse_labels(const XMLElement& e, Board& out) const {
  EW_TRY(no_unknown_children(e, {"label"}));
  for (const XMLElement* l = e.FirstChildElement("label"); l; l = l->NextSiblingElement("label")) {
    if (out.labels.size() >= kMaxLabels) return error_at(l->GetLineNum(), "more than 256 labels");
    EW_ASSIGN(std::string key, attr(*l, "key"));
    const char* v = l->Attribute("value");
    if (!v) return error_at(l->GetLineNum(), "<label key=\"" + key + "\"> is missing value=\"...\"");
    std::string value = v;
    if (auto p = label_key_problem(key); !p.empty()) {
      return error_at(l->GetLineNum(), "label key \"" + key + "\": " + p);
    }
    if (auto p = label_value_problem(value); !p.empty()) {
      return error_at(l->GetLineNum(), "label \"" + key + "\": " + p);
    }
    if (out.label(key)) return error_at(l->GetLineNum(), "label \"" + key + "\" is declared twice");
    out.labels.emplace_back(std::move(key), std::move(value));
  }
  return {};
}

Status Parser::parse_userns(const XMLElement& e, UserNamespaces& out) const {
  EW_TRY(no_unknown_children(e, {}));
  const std::pair<const char*, uint32_t*> fields[] = {{"base", &out.base}, {"ranges", &out.ranges}, {"size", &out.size}};
  for (const auto& [name, field] : fields) {
    if (!e.Attribute(name)) continue;  // the default
    EW_ASSIGN(std::string text, attr(e, name));
    auto n = parse_uint(text, 1, 0xffffffffu, std::string("<userns ") + name + ">");
    if (!n) return error_at(e.GetLineNum(), n.error().message);
    *field = static_cast<uint32_t>(*n);
  }
  if (out.base < 65536) {
    return error_at(e.GetLineNum(), "<userns base=\"" + std::to_string(out.base) +
                                        "\"> overlaps the host's own users (0..65535); choose a base of at least 65536");
  }
  if (uint64_t{out.base} + uint64_t{out.ranges} * out.size > 0xffffffffu) {
    return error_at(e.GetLineNum(), "<userns>: base + ranges * size runs past id 4294967294; lower one of them");
  }
  return {};
}

Result<Board> Parser::parse(const XMLElement& root) const {
  if (std::string_view(root.Name()) != "board") {
    return error_at(root.GetLineNum(), std::string("root element is <") + root.Name() + ">, expected <board>");
  }
  EW_TRY(no_unknown_children(root, {"description", "arch", "toolchain", "memory", "cpus", "kvm", "console",
                                    "storage", "labels", "userns"}));
  Board b;
  EW_ASSIGN(b.name, attr(root, "name"));
  if (auto p = label_value_problem(b.name); !p.empty()) {
    return error_at(root.GetLineNum(), "board name \"" + b.name + "\": " + p);
  }
  EW_ASSIGN(std::string schema, attr(root, "schema"));
  if (schema != "1") {
    return error_at(root.GetLineNum(), "schema=\"" + schema + "\" is not supported (this edgeward reads schema 1)");
  }
  EW_ASSIGN(const XMLElement* desc, optional_child(root, "description"));
  if (desc && desc->GetText()) b.description = desc->GetText();

  EW_ASSIGN(const XMLElement* arch, child(root, "arch"));
  EW_ASSIGN(std::string arch_text, text(*arch));
  if (arch_text == "x86_64") {
    b.arch = Arch::kX86_64;
  } else if (arch_text == "aarch64") {
    b.arch = Arch::kAarch64;
  } else {
    return error_at(arch->GetLineNum(), "unknown arch \"" + arch_text + "\" (supported: x86_64, aarch64)");
  }

  EW_ASSIGN(const XMLElement* tc, child(root, "toolchain"));
  EW_ASSIGN(b.toolchain, text(*tc));
  for (char c : b.toolchain) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return error_at(tc->GetLineNum(), "toolchain \"" + b.toolchain + "\" must be a plain name like x86_64-linux-gnu");
    }
  }

  EW_ASSIGN(const XMLElement* mem, child(root, "memory"));
  EW_ASSIGN(std::string mem_text, text(*mem));
  auto mem_bytes = parse_size(mem_text);
  if (!mem_bytes) return error_at(mem->GetLineNum(), "<memory>: " + mem_bytes.error().message);
  if (*mem_bytes < (uint64_t{16} << 20)) return error_at(mem->GetLineNum(), "<memory> must be at least 16MiB");
  b.memory_bytes = *mem_bytes;

  EW_ASSIGN(const XMLElement* cpus, child(root, "cpus"));
  EW_ASSIGN(std::string cpus_text, text(*cpus));
  auto n = parse_uint(cpus_text, 1, kMaxCpus, "<cpus>");
  if (!n) return error_at(cpus->GetLineNum(), n.error().message);
  b.cpus = static_cast<uint32_t>(*n);

  EW_ASSIGN(const XMLElement* kvm, child(root, "kvm"));
  EW_ASSIGN(std::string expected, attr(*kvm, "expected"));
  if (expected != "true" && expected != "false") {
    return error_at(kvm->GetLineNum(), "<kvm expected=\"" + expected + "\"> must be true or false");
  }
  b.kvm_expected = expected == "true";

  EW_ASSIGN(const XMLElement* console, child(root, "console"));
  EW_ASSIGN(b.console.device, attr(*console, "device"));
  EW_ASSIGN(std::string baud, attr(*console, "baud"));
  auto baud_n = parse_uint(baud, 50, 4000000, "<console baud>");
  if (!baud_n) return error_at(console->GetLineNum(), baud_n.error().message);
  b.console.baud = static_cast<uint32_t>(*baud_n);

  EW_ASSIGN(const XMLElement* storage, child(root, "storage"));
  EW_TRY(parse_storage(*storage, b.storage));
  EW_ASSIGN(const XMLElement* labels, child(root, "labels"));
  EW_TRY(parse_labels(*labels, b));
  EW_ASSIGN(const XMLElement* userns, optional_child(root, "userns"));
  if (userns) EW_TRY(parse_userns(*userns, b.userns));
  return b;
}

}  // namespace

Result<Board> parse_board_xml(std::string_view xml, std::string_view source) {
  if (xml.size() > kMaxBoardFileBytes) {
    return Error::invalid(std::string(source) + ": board file is larger than 64 KiB; is this the right file?");
  }
  tinyxml2::XMLDocument doc(true, tinyxml2::COLLAPSE_WHITESPACE);
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    return Error::invalid(std::string(source) + ":" + std::to_string(doc.ErrorLineNum()) +
                          ": malformed XML: " + doc.ErrorName() + " (" +
                          (doc.ErrorStr() ? doc.ErrorStr() : "") + ")");
  }
  const XMLElement* root = doc.RootElement();
  if (!root) return Error::invalid(std::string(source) + ":1: no root element; expected <board>");
  return Parser(source).parse(*root);
}

Result<Board> load_board_file(const std::string& path) {
  auto data = text::read_file(path, kMaxBoardFileBytes + 1);
  if (!data) {
    return Error::not_found(path + ": cannot open board file: " + std::strerror(errno) +
                            " (the embedded boards: edgeward board list)");
  }
  return parse_board_xml(*data, path);
}

}  // namespace edgeward::board
