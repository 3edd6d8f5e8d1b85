// parse_yaml (manifest.h): libyaml's event parser builds the JSON tree on an explicit stack, so
// hostile nesting cannot overflow the C++ stack. Scalars resolve like Kubernetes' decoder.
#include <yaml.h>

#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <vector>

#include "runtime/k8s/manifest.h"

namespace edgeward::k8s {
namespace {

// libyaml's parser context, freed on every path.
class YamlParser {
 public:
  YamlParser() : ok_(yaml_parser_initialize(&p_) != 0) {}
  YamlParser(const YamlParser&) = delete;
  YamlParser& operator=(const YamlParser&) = delete;
  ~YamlParser() {
    if (ok_) yaml_parser_delete(&p_);
  }
  bool ok() const { return ok_; }
  yaml_parser_t* get() { return &p_; }

 private:
  yaml_parser_t p_{};
  bool ok_;
};

class Event {
 public:
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() {
    if (filled_) yaml_event_delete(&e_);
  }
  yaml_event_t* slot() { return &e_; }
  void mark_filled() { filled_ = true; }
  const yaml_event_t& get() const { return e_; }

 private:
  yaml_event_t e_{};
  bool filled_ = false;
};

bool one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  for (auto w : words) {
    if (s == w) return true;
  }
  return false;
}

// YAML 1.1 plain-scalar resolution as Kubernetes (sigs.k8s.io/yaml) sees it.
Json resolve_plain(std::string_view s) {
  if (one_of(s, {"", "~", "null", "Null", "NULL"})) return nullptr;
  if (one_of(s, {"true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON"})) return true;
  if (one_of(s, {"false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF"})) return false;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  const char* digits = (s.front() == '+' || s.front() == '-') ? b + 1 : b;
  if (digits == e) return std::string(s);
  int64_t i = 0;
  if (auto r = std::from_chars(s.front() == '+' ? b + 1 : b, e, i); r.ec == std::errc() && r.ptr == e) return i;
  uint64_t u = 0;
  if (auto r = std::from_chars(digits, e, u); r.ec == std::errc() && r.ptr == e && s.front() != '-') return u;
  // A float needs a digit and only float characters (from_chars alone accepts "inf", "nan").
  bool has_digit = false;
  for (const char* p = digits; p < e; ++p) {
    if (*p >= '0' && *p <= '9') {
      has_digit = true;
    } else if (*p != '.' && *p != 'e' && *p != 'E' && *p != '+' && *p != '-') {
      return std::string(s);
    }
  }
  double d = 0;
  if (auto r = std::from_chars(s.front() == '+' ? b + 1 : b, e, d);
      has_digit && r.ec == std::errc() && r.ptr == e && std::isfinite(d)) {
    return d;
  }
  return std::string(s);
}

Json scalar_value(const yaml_event_t& ev) {
  const auto& sc = ev.data.scalar;
  std::string_view text(reinterpret_cast<const char*>(sc.value), sc.length);
  const std::string_view tag = sc.tag ? reinterpret_cast<const char*>(sc.tag) : "";
  if (sc.style != YAML_PLAIN_SCALAR_STYLE || tag == "tag:yaml.org,2002:str" || tag == "!") return std::string(text);
  return resolve_plain(text);
}

// One open collection: a sequence, or a mapping waiting for a key or for the key's value.
struct Frame {
  Json value;
  bool mapping = false;
  std::optional<std::string> key;  // mapping: the key whose value comes next
  std::set<std::string> keys;      // mapping: keys seen so far
};

class Loader {
 public:
  Loader(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  Result<Json> run() {
    YamlParser parser;
    if (!parser.ok()) return Error::internal("libyaml: out of memory");
    yaml_parser_t* p = parser.get();
    yaml_parser_set_input_string(p, reinterpret_cast<const unsigned char*>(text_.data()), text_.size());
    for (;;) {
      Event ev;
      if (!yaml_parser_parse(p, ev.slot())) {
        return error_at(p->problem_mark, std::string("malformed YAML: ") + (p->problem ? p->problem : "parse error") +
                                             (p->context ? std::string(" ") + p->context : ""));
      }
      ev.mark_filled();
      const yaml_event_t& e = ev.get();
      if (e.type == YAML_STREAM_END_EVENT) break;
      EW_TRY(on_event(e));
    }
    if (documents_ == 0 || !root_) return Error::invalid(std::string(source_) + ": empty manifest (no YAML document)");
    return std::move(*root_);
  }

 private:
  Error error_at(const yaml_mark_t& m, const std::string& what) const {
    return Error::invalid(std::string(source_) + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) +
                          ": " + what);
  }

  Status on_event(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (++documents_ > 1) return error_at(e.start_mark, "more than one YAML document (give one Pod per file)");
        return {};
      case YAML_ALIAS_EVENT:
        return error_at(e.start_mark, "YAML aliases (*name) are not supported in manifests; write the value out");
      case YAML_SCALAR_EVENT: return add(e, scalar_value(e), true);
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT:
        if (stack_.size() >= kMaxManifestDepth) {
          return error_at(e.start_mark, "nesting deeper than " + std::to_string(kMaxManifestDepth) + " levels");
        }
        if (!stack_.empty() && stack_.back().mapping && !stack_.back().key) {
          return error_at(e.start_mark, "a mapping key must be a plain value, not a list or mapping");
        }
        stack_.push_back(Frame{e.type == YAML_MAPPING_START_EVENT ? Json::object() : Json::array(),
                               e.type == YAML_MAPPING_START_EVENT,
                               std::nullopt,
                               {}});
        return {};
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Json done = std::move(stack_.back().value);
        stack_.pop_back();
        return add(e, std::move(done), false);
      }
      default: return {};
    }
  }

  // Places a finished value: as the root, in a sequence, as a mapping key, or as a key's value.
  Status add(const yaml_event_t& e, Json v, bool scalar) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return {};
    }
    Frame& f = stack_.back();
    if (!f.mapping) {
      f.value.push_back(std::move(v));
      return {};
    }
    if (!f.key) {
      if (!scalar) return error_at(e.start_mark, "a mapping key must be a plain value");
      std::string key(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
      if (key == "<<" && e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        return error_at(e.start_mark, "YAML merge keys (<<) are not supported in manifests; write the fields out");
      }
      if (!f.keys.insert(key).second) return error_at(e.start_mark, "duplicate key \"" + key + "\"");
      f.key = std::move(key);
      return {};
    }
    f.value[*f.key] = std::move(v);
    f.key.reset();
    return {};
  }

  std::string_view text_;
  std::string_view source_;
  std::vector<Frame> stack_;
  std::optional<Json> root_;
  int documents_ = 0;
};

}  // namespace

Result<Json> parse_yaml(std::string_view text, std::string_view source) {
  EW_TRY(check_manifest_size(text.size(), source));
  return Loader(text, source).run();
}

}  // namespace edgeward::k8s
