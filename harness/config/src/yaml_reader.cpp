#include "yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace tutti::config::detail {
namespace {

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string describe(const YAML::Node& node) {
  if (node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "'" + node.Scalar() + "'";
}

std::string join(std::initializer_list<std::string_view> words) {
  std::string out;
  for (std::string_view word : words) {
    if (!out.empty()) out += ", ";
    out += word;
  }
  return out;
}

void Diagnostics::error(const YAML::Mark& mark, std::string_view key_path,
                        std::string_view message) {
  std::string line = source_;
  if (!mark.is_null()) {
    line.append(":").append(std::to_string(mark.line + 1));
    line.append(":").append(std::to_string(mark.column + 1));
  }
  line += ": ";
  line += key_path;
  line += ": ";
  line += message;
  errors_.push_back(std::move(line));
}

Status Diagnostics::status() const {
  if (errors_.empty()) return Status::ok();
  std::string joined;
  for (const std::string& e : errors_) {
    if (!joined.empty()) joined += '\n';
    joined += e;
  }
  return Status(StatusCode::kInvalidArgument, std::move(joined));
}

MapReader::MapReader(const YAML::Node& node, std::string path,
                     std::initializer_list<std::string_view> allowed, Diagnostics& diag)
    : node_(node), path_(std::move(path)), diag_(diag) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    diag.error(node, path_.empty() ? "(top)" : path_, "expected a mapping, got " + describe(node));
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const std::string name = key.IsScalar() ? key.Scalar() : std::string("?");
    std::string key_path = path_.empty() ? name : path_ + "." + name;
    if (!key.IsScalar()) {
      diag.error(key, key_path, "keys must be plain names");
    } else if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      diag.error(key, key_path, "unknown key (allowed: " + join(allowed) + ")");
    } else if (find(name) != nullptr) {
      diag.error(key, key_path, "duplicate key");
    } else {
      fields_.push_back({name, key, it->second, std::move(key_path)});
    }
  }
}

const Field* MapReader::find(std::string_view name) const {
  for (const Field& f : fields_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const Field* MapReader::require(std::string_view name) const {
  const Field* f = find(name);
  if (f == nullptr) {
    diag_.error(node_, path_, "missing required key '" + std::string(name) + "'");
  }
  return f;
}

bool read_string(const Field& field, Diagnostics& diag, std::string& out) {
  if (!field.value.IsScalar() || field.value.Scalar().empty()) {
    diag.error(field.value, field.path, "expected a text value, got " + describe(field.value));
    return false;
  }
  out = field.value.Scalar();
  return true;
}

bool read_int(const Field& field, Diagnostics& diag, int min, int max, int& out) {
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  int value = 0;
  if (field.value.IsScalar()) {
    const std::string& text = field.value.Scalar();
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc() && ptr == end && value >= min && value <= max) {
      out = value;
      return true;
    }
  }
  diag.error(field.value, field.path,
             "expected an integer in " + range + ", got " + describe(field.value));
  return false;
}

bool read_double(const Field& field, Diagnostics& diag, double min, double max, double& out) {
  if (field.value.IsScalar()) {
    const std::string& text = field.value.Scalar();
    const char* end = text.data() + text.size();
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc() && ptr == end && std::isfinite(value) && value >= min && value <= max) {
      out = value;
      return true;
    }
  }
  std::ostringstream range;
  range << min << ".." << max;
  diag.error(field.value, field.path,
             "expected a number in " + range.str() + ", got " + describe(field.value));
  return false;
}

bool read_bool(const Field& field, Diagnostics& diag, bool& out) {
  if (field.value.IsScalar()) {
    const std::string& text = field.value.Scalar();
    if (text == "true" || text == "false") {
      out = text == "true";
      return true;
    }
  }
  diag.error(field.value, field.path, "expected true or false, got " + describe(field.value));
  return false;
}

bool read_digits(const Field& field, Diagnostics& diag, std::string& out) {
  if (!field.value.IsScalar() || !all_digits(field.value.Scalar())) {
    diag.error(field.value, field.path,
               "expected digits only (at least one), got " + describe(field.value));
    return false;
  }
  out = field.value.Scalar();
  return true;
}

bool read_choice(const Field& field, Diagnostics& diag,
                 std::initializer_list<std::string_view> choices, std::string& out) {
  if (field.value.IsScalar() &&
      std::find(choices.begin(), choices.end(), field.value.Scalar()) != choices.end()) {
    out = field.value.Scalar();
    return true;
  }
  diag.error(field.value, field.path,
             "expected one of " + join(choices) + ", got " + describe(field.value));
  return false;
}

bool read_int_choice(const Field& field, Diagnostics& diag, std::initializer_list<int> choices,
                     int& out) {
  std::string allowed;
  for (int c : choices) allowed += (allowed.empty() ? "" : ", ") + std::to_string(c);
  int value = 0;
  if (field.value.IsScalar()) {
    const std::string& text = field.value.Scalar();
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc() && ptr == end &&
        std::find(choices.begin(), choices.end(), value) != choices.end()) {
      out = value;
      return true;
    }
  }
  diag.error(field.value, field.path,
             "expected one of " + allowed + ", got " + describe(field.value));
  return false;
}

Result<std::string> read_text_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kNotFound, path + ": cannot open " + std::string(what));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace tutti::config::detail
