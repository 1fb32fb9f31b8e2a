// The one place that includes libre (C, with Debian 1.1.0's HAVE_* defines from CMake) and the
// few conversions between its types and the standard library. Private to tutti_sip.
#pragma once

extern "C" {
#include <re.h>
struct sip_request;  // re_sip.h names it only inside prototypes; the function sip_request() hides
                     // it
}

#include <string>

namespace tutti::sip::internal {

inline std::string to_string(const pl& value) {
  return value.p != nullptr ? std::string(value.p, value.l) : std::string();
}

// The unread part of a message body.
inline std::string body_of(const sip_msg& msg) {
  if (msg.mb == nullptr) return {};
  const auto* data = reinterpret_cast<const char*>(mbuf_buf(msg.mb));
  return std::string(data, mbuf_get_left(msg.mb));
}

// A new mbuf holding `text`, positioned at its start (nullptr when out of memory). The caller
// owns one reference.
inline mbuf* mbuf_of(const std::string& text) {
  mbuf* buffer = mbuf_alloc(text.size() + 1);
  if (buffer == nullptr) return nullptr;
  if (mbuf_write_mem(buffer, reinterpret_cast<const uint8_t*>(text.data()), text.size()) != 0) {
    mem_deref(buffer);
    return nullptr;
  }
  mbuf_set_pos(buffer, 0);
  return buffer;
}

inline bool content_type_is(const sip_msg& msg, const char* type, const char* subtype) {
  return msg_ctype_cmp(&msg.ctyp, type, subtype);
}

}  // namespace tutti::sip::internal
