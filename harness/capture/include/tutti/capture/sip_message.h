// A small SIP message reader (RFC 3261 section 7) for captures: start line, headers (compact
// forms expanded, folded lines joined) and the body cut by Content-Length. It reads what a
// capture needs to find dialogs; it does not validate a message beyond that.
//
// Bounds: every index is checked; a message that lies (a Content-Length past the datagram, a
// header line without a colon, a start line that is not SIP) is refused with a reason, never
// read past its end. At most kMaxSipHeaders headers are kept.
//
// Threads: pure functions, any thread; they allocate (control plane only).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tutti/status.h"

namespace tutti::capture {

inline constexpr std::size_t kMaxSipHeaders = 128;

struct SipMessage {
  bool is_request = false;
  std::string method;       // requests: "INVITE", "BYE", ...
  std::string request_uri;  // requests
  int status_code = 0;      // responses: 100..699
  std::string reason;       // responses
  // Names in lower case with compact forms expanded ("i" -> "call-id"); values trimmed.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header of that name (any case, compact or long form), nullopt if absent.
  std::optional<std::string_view> header(std::string_view name) const;
  std::string_view call_id() const { return header("call-id").value_or(""); }
  // CSeq's number and method ("1 INVITE"); nullopt when missing or malformed.
  std::optional<std::pair<long, std::string>> cseq() const;
};

// True when the datagram starts like SIP: "METHOD sip:... SIP/2.0" (also sips: and tel:
// URIs) or "SIP/2.0 NNN". Cheap; used to tell SIP from RTP and other UDP.
bool looks_like_sip(std::string_view datagram);

// Parses one SIP message carried in one UDP datagram. Refuses (kInvalidArgument, with a reason)
// a bad start line, a header line without a name or colon, a missing Call-ID or CSeq, and a
// Content-Length that is not a number or runs past the datagram. Without Content-Length the
// body is the rest of the datagram (RFC 3261 18.3).
Result<SipMessage> parse_sip_message(std::string_view datagram);

// The long lower-case header name for a compact form ("i" -> "call-id"), or name lower-cased.
std::string canonical_header_name(std::string_view name);

// Parts of a From/To/Contact value: "\"Alice\" <sip:alice@host>;tag=1" gives display "Alice",
// URI "sip:alice@host", tag "1".
struct NameAddr {
  std::string display;
  std::string uri;
  std::string tag;
};
NameAddr parse_name_addr(std::string_view value);

// The user part of a sip:, sips: or tel: URI ("sip:1000@host;user=phone" -> "1000"); "" when
// the URI has none.
std::string uri_user(std::string_view uri);

}  // namespace tutti::capture
