#include "common/cli/args.h"

#include <algorithm>

namespace edgeward::cli {

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string ParsedArgs::value_or(std::string_view name, std::string fallback) const {
  auto v = value(name);
  return v ? *v : std::move(fallback);
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
  auto it = all_values_.find(std::string(name));
  return it == all_values_.end() ? std::vector<std::string>{} : it->second;
}

ArgParser::ArgParser(std::string usage, std::string summary, std::vector<Option> options)
    : usage_(std::move(usage)), summary_(std::move(summary)), options_(std::move(options)) {}

const Option* ArgParser::find(std::string_view name) const {
  auto it = std::find_if(options_.begin(), options_.end(), [&](const Option& o) { return o.name == name; });
  return it == options_.end() ? nullptr : &*it;
}

Result<ParsedArgs> ArgParser::parse(std::span<const std::string> args) const {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      out.positional_.insert(out.positional_.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (a == "-h" || a == "--help") {
      out.flags_["help"] = true;
      continue;
    }
    if (a.size() < 2 || a[0] != '-' || a == "-") {
      out.positional_.push_back(a);
      continue;
    }
    if (a[1] != '-') return Error::invalid("unknown option '" + a + "' (see --help)");
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const Option* opt = find(name);
    if (!opt) return Error::invalid("unknown option '--" + name + "' (see --help)");
    if (opt->value_name.empty()) {
      if (inline_value) return Error::invalid("option '--" + name + "' takes no value");
      out.flags_[name] = true;
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        return Error::invalid("option '--" + name + "' needs a value " + std::string(opt->value_name));
      }
      inline_value = args[++i];
    }
    out.values_[name] = *inline_value;
    out.all_values_[name].push_back(*inline_value);
  }
  return out;
}

std::string ArgParser::help() const {
  std::string h = "usage: " + usage_ + "\n\n" + summary_ + "\n";
  if (options_.empty()) return h;
  h += "\noptions:\n";
  for (const Option& o : options_) {
    std::string left = "  --" + std::string(o.name);
    if (!o.value_name.empty()) left += " " + std::string(o.value_name);
    if (left.size() < 24) left.resize(24, ' ');
    else left += "  ";
    h += left + std::string(o.help) + "\n";
  }
  h += "  -h, --help              show this help\n";
  return h;
}

}  // namespace edgeward::cli
