#include "dtmf_relay.h"

#include <cctype>
#include <charconv>
#include <string>

namespace tutti::sip::internal {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool equals_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::optional<char> digit_of(std::string_view signal) {
  if (signal == "10") return '*';
  if (signal == "11") return '#';
  if (signal.size() != 1) return std::nullopt;
  const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(signal[0])));
  if ((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D')) return c;
  return std::nullopt;
}

std::optional<int> duration_of(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<InfoDigit> parse_dtmf_relay(std::string_view body) {
  std::optional<char> digit;
  int duration_ms = 0;
  while (!body.empty()) {
    const size_t eol = body.find('\n');
    std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, eq));
    const std::string_view value = trim(line.substr(eq + 1));
    if (equals_nocase(key, "Signal")) {
      digit = digit_of(value);
      if (!digit) return std::nullopt;
    } else if (equals_nocase(key, "Duration")) {
      const auto parsed = duration_of(value);
      if (!parsed) return std::nullopt;
      duration_ms = *parsed;
    }
  }
  if (!digit) return std::nullopt;
  return InfoDigit{*digit, duration_ms};
}

std::optional<InfoDigit> parse_dtmf(std::string_view body) {
  const auto digit = digit_of(trim(body));
  if (!digit) return std::nullopt;
  return InfoDigit{*digit, 0};
}

std::optional<std::string> format_dtmf_relay(char digit, int duration_ms) {
  const auto checked = digit_of(std::string_view(&digit, 1));
  if (!checked || *checked != digit || duration_ms < 0) return std::nullopt;
  return "Signal=" + std::string(1, digit) + "\r\nDuration=" + std::to_string(duration_ms) + "\r\n";
}

std::optional<int> parse_sipfrag_status(std::string_view body) {
  constexpr std::string_view kVersion = "SIP/2.0 ";
  body = trim(body);
  if (body.size() < kVersion.size() + 3 ||
      !equals_nocase(body.substr(0, kVersion.size()), kVersion)) {
    return std::nullopt;
  }
  body.remove_prefix(kVersion.size());
  const std::string_view code = body.substr(0, 3);
  const auto status = duration_of(code);
  if (!status || *status < 100 || *status > 699) return std::nullopt;
  if (body.size() > 3 && body[3] != ' ' && body[3] != '\r' && body[3] != '\n') return std::nullopt;
  return status;
}

}  // namespace tutti::sip::internal
