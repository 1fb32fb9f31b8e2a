// Listening addresses and RTP port ranges: numeric addresses only, so that what the file says
// is exactly what the server binds (no resolver at startup, no surprise interface).
#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

#include "tutti/config/serve_config.h"

namespace tutti::config {
namespace {

Status invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

// 1..65535, decimal digits only; 0 when the text is not a port.
int parse_port(std::string_view text) {
  int port = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, port);
  if (text.empty() || text[0] == '+' || text[0] == '-' || ec != std::errc() || ptr != end) {
    return 0;
  }
  return port >= 1 && port <= 65535 ? port : 0;
}

bool is_ipv4(const std::string& host) {
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool is_ipv6(const std::string& host) {
  in6_addr addr{};
  return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

}  // namespace

std::string Endpoint::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Endpoint> parse_endpoint(std::string_view text) {
  constexpr const char* kForms = "expected ADDRESS:PORT such as 127.0.0.1:5060 or [::1]:5060";
  Endpoint endpoint;
  std::string_view port_text;
  if (text.starts_with('[')) {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || text.substr(close + 1).size() < 2 ||
        text[close + 1] != ':') {
      return invalid(kForms);
    }
    endpoint.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
    if (!is_ipv6(endpoint.host)) return invalid("'" + endpoint.host + "' is not an IPv6 address");
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return invalid(kForms);
    endpoint.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (endpoint.host.find(':') != std::string::npos) {
      return invalid("IPv6 addresses go in brackets, as in [::1]:5060");
    }
    if (!is_ipv4(endpoint.host)) {
      return invalid("'" + endpoint.host + "' is not a numeric IPv4 address");
    }
  }
  const int port = parse_port(port_text);
  if (port == 0) return invalid("port must be 1..65535, got '" + std::string(port_text) + "'");
  endpoint.port = static_cast<uint16_t>(port);
  return endpoint;
}

Result<PortRange> parse_port_range(std::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    return invalid("expected LOW-HIGH such as 20000-20999");
  }
  const int low = parse_port(text.substr(0, dash));
  const int high = parse_port(text.substr(dash + 1));
  if (low == 0 || high == 0) return invalid("ports must be 1..65535 in LOW-HIGH");
  if (low >= high) return invalid("the low port must be below the high one");
  if (low % 2 != 0) return invalid("the low port must be even (RTP even, RTCP odd)");
  return PortRange{static_cast<uint16_t>(low), static_cast<uint16_t>(high)};
}

bool is_loopback(const Endpoint& endpoint) {
  in_addr v4{};
  if (inet_pton(AF_INET, endpoint.host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, endpoint.host.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

}  // namespace tutti::config
