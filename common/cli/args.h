// A small command-line option parser: declared options, "--name value" / "--name=value",
// boolean flags, "--" to end options, and generated help. Unknown options are errors that
// name the option and point at --help.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace edgeward::cli {

struct Option {
  std::string_view name;        // long name without dashes, e.g. "json"
  std::string_view value_name;  // empty for a boolean flag, else e.g. "PATH"
  std::string_view help;
};

class ParsedArgs {
 public:
  bool flag(std::string_view name) const { return flags_.count(std::string(name)) != 0; }
  std::optional<std::string> value(std::string_view name) const;
  std::string value_or(std::string_view name, std::string fallback) const;
  // Every value given for a repeatable option, in command-line order (value() is the last one).
  std::vector<std::string> values(std::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend class ArgParser;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> all_values_;
  std::map<std::string, bool> flags_;
  std::vector<std::string> positional_;
};

class ArgParser {
 public:
  // `usage` is the synopsis line, e.g. "edgeward board show [NAME|FILE] [--json]".
  ArgParser(std::string usage, std::string summary, std::vector<Option> options);

  // "--help"/"-h" is always accepted and reported through ParsedArgs::flag("help").
  Result<ParsedArgs> parse(std::span<const std::string> args) const;
  std::string help() const;

 private:
  const Option* find(std::string_view name) const;

  std::string usage_;
  std::string summary_;
  std::vector<Option> options_;
};

}  // namespace edgeward::cli
