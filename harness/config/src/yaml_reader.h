// Reading a YAML tree into typed fields while collecting every error with its location.
// Values are taken from the scalar text as written (yaml-cpp does not resolve types), so
// `pin: 0042` keeps its leading zeros and `record: off` stays the word "off".
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/status.h"

namespace tutti::config::detail {

// Error messages in the "FILE:LINE:COLUMN: key.path: message" form, 1-based.
class Diagnostics {
 public:
  explicit Diagnostics(std::string source) : source_(std::move(source)) {}
  void error(const YAML::Mark& mark, std::string_view key_path, std::string_view message);
  void error(const YAML::Node& node, std::string_view key_path, std::string_view message) {
    error(node.Mark(), key_path, message);
  }
  bool empty() const { return errors_.empty(); }
  // kInvalidArgument with every error, one per line, in the order found.
  Status status() const;

 private:
  std::string source_;
  std::vector<std::string> errors_;
};

// One key of a mapping, with its full dotted path ("rooms[2].pin").
struct Field {
  std::string name;
  YAML::Node key;
  YAML::Node value;
  std::string path;
};

// A mapping whose keys are checked against the allowed set up front: unknown and repeated
// keys are reported at the key. An absent or null node reads as an empty mapping.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string path,
            std::initializer_list<std::string_view> allowed, Diagnostics& diag);
  const Field* find(std::string_view name) const;
  // Reports "missing required key" at the mapping when `name` is absent.
  const Field* require(std::string_view name) const;

 private:
  YAML::Node node_;
  std::string path_;
  Diagnostics& diag_;
  std::vector<Field> fields_;
};

// Each reader reports a wrong type or value at the value and returns false, leaving `out` as it
// was (the default).
bool read_string(const Field& field, Diagnostics& diag, std::string& out);
bool read_int(const Field& field, Diagnostics& diag, int min, int max, int& out);
// A finite decimal number in min..max ("1.5", "2", "-20").
bool read_double(const Field& field, Diagnostics& diag, double min, double max, double& out);
bool read_bool(const Field& field, Diagnostics& diag, bool& out);
bool read_digits(const Field& field, Diagnostics& diag, std::string& out);
bool read_choice(const Field& field, Diagnostics& diag,
                 std::initializer_list<std::string_view> choices, std::string& out);
bool read_int_choice(const Field& field, Diagnostics& diag, std::initializer_list<int> choices,
                     int& out);

std::string join(std::initializer_list<std::string_view> words);

// A node as error messages show it: 'text', "a list", "a mapping" or "nothing".
std::string describe(const YAML::Node& node);

// The whole file as text; kNotFound naming `what` ("the scenario file") when it cannot be read.
Result<std::string> read_text_file(const std::string& path, std::string_view what);

}  // namespace tutti::config::detail
