#include "tutti/capture/sip_message.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace tutti::capture {
namespace {

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '!' ||
         c == '%' || c == '*' || c == '_' || c == '+' || c == '`' || c == '\'' || c == '~';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

Status bad(std::string message) { return {StatusCode::kInvalidArgument, std::move(message)}; }

// Splits off the next line (without CRLF or LF); returns false at the end of the text.
bool next_line(std::string_view& text, std::string_view& line) {
  if (text.empty()) return false;
  const std::size_t eol = text.find('\n');
  if (eol == std::string_view::npos) {
    line = text;
    text = {};
  } else {
    line = text.substr(0, eol);
    text.remove_prefix(eol + 1);
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

// "SIP/2.0 200 OK" or "INVITE sip:1000@host SIP/2.0".
Status parse_start_line(std::string_view line, SipMessage& message) {
  if (line.substr(0, 8) == "SIP/2.0 ") {
    const std::string_view rest = line.substr(8);
    int code = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), code);
    if (ec != std::errc{} || end != rest.data() + 3 || code < 100 || code > 699) {
      return bad("status line has no 3-digit status code");
    }
    message.status_code = code;
    message.reason = std::string(trim(rest.substr(3)));
    return Status::ok();
  }
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.substr(sp2 + 1) != "SIP/2.0") {
    return bad("start line is neither 'METHOD URI SIP/2.0' nor 'SIP/2.0 CODE REASON'");
  }
  const std::string_view method = line.substr(0, sp1);
  if (method.empty() || !std::all_of(method.begin(), method.end(), is_token_char)) {
    return bad("request method is not a token");
  }
  const std::string_view uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (uri.empty() || uri.find(':') == std::string_view::npos) {
    return bad("Request-URI has no scheme");
  }
  message.is_request = true;
  message.method = std::string(method);
  message.request_uri = std::string(uri);
  return Status::ok();
}

// Header lines up to the blank line; folded lines (leading SP/HT) continue the previous value.
Status parse_headers(std::string_view& text, SipMessage& message) {
  std::string_view line;
  while (next_line(text, line)) {
    if (line.empty()) return Status::ok();
    if (line.front() == ' ' || line.front() == '\t') {
      if (message.headers.empty()) return bad("folded line before any header");
      auto& value = message.headers.back().second;
      value += ' ';
      value += trim(line);
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return bad("header line without a colon");
    const std::string_view name = trim(line.substr(0, colon));
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
      return bad("header name is not a token");
    }
    if (message.headers.size() == kMaxSipHeaders) return bad("too many headers");
    message.headers.emplace_back(canonical_header_name(name),
                                 std::string(trim(line.substr(colon + 1))));
  }
  // No blank line: a message without body may end right after its last header.
  return Status::ok();
}

}  // namespace

std::string canonical_header_name(std::string_view name) {
  static constexpr std::array<std::pair<char, const char*>, 12> kCompact = {{
      {'i', "call-id"},
      {'f', "from"},
      {'t', "to"},
      {'l', "content-length"},
      {'c', "content-type"},
      {'m', "contact"},
      {'v', "via"},
      {'s', "subject"},
      {'k', "supported"},
      {'e', "content-encoding"},
      {'o', "event"},
      {'r', "refer-to"},
  }};
  if (name.size() == 1) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
    for (const auto& [compact, full] : kCompact) {
      if (c == compact) return full;
    }
  }
  return lower(name);
}

std::optional<std::string_view> SipMessage::header(std::string_view name) const {
  const std::string wanted = canonical_header_name(name);
  for (const auto& [key, value] : headers) {
    if (key == wanted) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::pair<long, std::string>> SipMessage::cseq() const {
  const auto value = header("cseq");
  if (!value) return std::nullopt;
  long number = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (ec != std::errc{}) return std::nullopt;
  const std::string_view name = trim(value->substr(static_cast<std::size_t>(end - value->data())));
  if (name.empty()) return std::nullopt;
  return std::pair<long, std::string>(number, std::string(name));
}

bool looks_like_sip(std::string_view datagram) {
  const std::size_t eol = datagram.find('\n');
  std::string_view line = datagram.substr(0, eol == std::string_view::npos ? 512 : eol);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.substr(0, 8) == "SIP/2.0 ") {
    return line.size() >= 11 && std::isdigit(static_cast<unsigned char>(line[8])) &&
           std::isdigit(static_cast<unsigned char>(line[9])) &&
           std::isdigit(static_cast<unsigned char>(line[10]));
  }
  const std::size_t sp = line.find(' ');
  if (sp == std::string_view::npos || sp == 0) return false;
  for (std::size_t i = 0; i < sp; ++i) {
    if (!std::isupper(static_cast<unsigned char>(line[i]))) return false;
  }
  const std::string_view uri = line.substr(sp + 1);
  const bool sip_uri = starts_with_nocase(uri, "sip:") || starts_with_nocase(uri, "sips:") ||
                       starts_with_nocase(uri, "tel:");
  return sip_uri && line.size() >= 8 && line.substr(line.size() - 8) == " SIP/2.0";
}

Result<SipMessage> parse_sip_message(std::string_view datagram) {
  SipMessage message;
  std::string_view text = datagram;
  std::string_view line;
  if (!next_line(text, line)) return bad("empty datagram");
  if (Status s = parse_start_line(line, message); !s) return s;
  if (Status s = parse_headers(text, message); !s) return s;
  if (message.call_id().empty()) return bad("no Call-ID");
  if (!message.cseq()) return bad("no CSeq, or CSeq is not 'NUMBER METHOD'");
  if (const auto length = message.header("content-length")) {
    std::size_t bytes = 0;
    const auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), bytes);
    if (ec != std::errc{} || end != length->data() + length->size()) {
      return bad("Content-Length is not a number");
    }
    if (bytes > text.size()) return bad("Content-Length runs past the datagram");
    text = text.substr(0, bytes);
  }
  message.body = std::string(text);
  return message;
}

NameAddr parse_name_addr(std::string_view value) {
  NameAddr out;
  value = trim(value);
  std::string_view params;
  const std::size_t open = value.find('<');
  if (open != std::string_view::npos) {
    const std::size_t close = value.find('>', open);
    if (close == std::string_view::npos) return out;
    std::string_view display = trim(value.substr(0, open));
    if (display.size() >= 2 && display.front() == '"' && display.back() == '"') {
      display = display.substr(1, display.size() - 2);
    }
    out.display = std::string(display);
    out.uri = std::string(value.substr(open + 1, close - open - 1));
    params = value.substr(close + 1);
  } else {
    // addr-spec: the URI's own parameters cannot be told from header parameters (RFC 3261
    // 20.10), so everything after the first ';' is taken as header parameters.
    const std::size_t semi = value.find(';');
    out.uri = std::string(trim(value.substr(0, semi)));
    if (semi != std::string_view::npos) params = value.substr(semi);
  }
  while (!params.empty()) {
    const std::size_t semi = params.find(';');
    if (semi == std::string_view::npos) break;
    params.remove_prefix(semi + 1);
    const std::string_view param = trim(params.substr(0, params.find(';')));
    if (starts_with_nocase(param, "tag=")) out.tag = std::string(param.substr(4));
  }
  return out;
}

std::string uri_user(std::string_view uri) {
  uri = trim(uri);
  const std::size_t colon = uri.find(':');
  if (colon == std::string_view::npos) return {};
  const std::string scheme = lower(uri.substr(0, colon));
  std::string_view rest = uri.substr(colon + 1);
  if (scheme == "tel") return std::string(rest.substr(0, rest.find_first_of(";?>")));
  if (scheme != "sip" && scheme != "sips") return {};
  const std::size_t at = rest.find('@');
  const std::size_t stop = rest.find_first_of("?>");
  if (at == std::string_view::npos || (stop != std::string_view::npos && stop < at)) return {};
  rest = rest.substr(0, at);
  rest = rest.substr(0, rest.find(';'));               // user parameters ("1000;phone-context=...")
  return std::string(rest.substr(0, rest.find(':')));  // a password
}

}  // namespace tutti::capture
