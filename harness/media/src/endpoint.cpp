#include "endpoint.h"

#include <arpa/inet.h>

#include <cstring>

namespace tutti::media::detail {

Endpoint Endpoint::from(const sockaddr* address, socklen_t length) {
  Endpoint e;
  const bool v4 = address->sa_family == AF_INET && length >= sizeof(sockaddr_in);
  const bool v6 = address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6);
  if (!v4 && !v6) return e;
  e.length_ = v4 ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
  std::memcpy(&e.storage_, address, e.length_);
  return e;
}

const sockaddr* Endpoint::address() const { return reinterpret_cast<const sockaddr*>(&storage_); }

uint16_t Endpoint::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
}

void Endpoint::set_port(uint16_t port) {
  if (family() == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&storage_)->sin_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in6*>(&storage_)->sin6_port = htons(port);
  }
}

bool Endpoint::unspecified() const {
  if (family() == AF_INET) {
    return reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr == INADDR_ANY;
  }
  const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr;
  if (IN6_IS_ADDR_UNSPECIFIED(&a)) return true;
  static const uint8_t kMappedAny[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0};
  return std::memcmp(&a, kMappedAny, sizeof(kMappedAny)) == 0;
}

bool Endpoint::same(const sockaddr* address, socklen_t length) const {
  if (!valid() || address->sa_family != family()) return false;
  if (family() == AF_INET) {
    if (length < sizeof(sockaddr_in)) return false;
    const auto* a = reinterpret_cast<const sockaddr_in*>(&storage_);
    const auto* b = reinterpret_cast<const sockaddr_in*>(address);
    return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
  }
  if (length < sizeof(sockaddr_in6)) return false;
  const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage_);
  const auto* b = reinterpret_cast<const sockaddr_in6*>(address);
  return a->sin6_port == b->sin6_port &&
         std::memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(in6_addr)) == 0;
}

std::optional<Endpoint> parse_endpoint(const std::string& text, uint16_t port) {
  sockaddr_in v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    return Endpoint::from(reinterpret_cast<const sockaddr*>(&v4), sizeof(v4));
  }
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port);
    return Endpoint::from(reinterpret_cast<const sockaddr*>(&v6), sizeof(v6));
  }
  return std::nullopt;
}

std::optional<Endpoint> parse_remote(const std::string& text, uint16_t port, int socket_family) {
  std::optional<Endpoint> e = parse_endpoint(text, port);
  if (!e || e->family() == socket_family) return e;
  if (socket_family == AF_INET) return std::nullopt;
  return parse_endpoint("::ffff:" + text, port);
}

}  // namespace tutti::media::detail
