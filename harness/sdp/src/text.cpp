#include "text.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstring>

namespace tutti::sdp::detail {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string_view take_token(std::string_view& rest) {
  rest = trim(rest);
  std::size_t end = 0;
  while (end < rest.size() && !is_blank(rest[end])) ++end;
  const std::string_view token = rest.substr(0, end);
  rest = trim(rest.substr(end));
  return token;
}

std::string_view split_at(std::string_view text, char separator, std::string_view& rest) {
  const std::size_t at = text.find(separator);
  if (at == std::string_view::npos) {
    rest = {};
    return text;
  }
  rest = text.substr(at + 1);
  return text.substr(0, at);
}

std::optional<uint64_t> to_uint(std::string_view text, uint64_t max) {
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

bool is_numeric_address(std::string_view address, bool ip6) {
  // inet_pton wants a terminated string; the longest textual IPv6 address has 45 characters.
  std::array<char, 64> text{};
  if (address.empty() || address.size() >= text.size()) return false;
  std::memcpy(text.data(), address.data(), address.size());
  std::array<unsigned char, 16> binary{};
  return inet_pton(ip6 ? AF_INET6 : AF_INET, text.data(), binary.data()) == 1;
}

}  // namespace tutti::sdp::detail
