// SIP dialogs of a capture: messages grouped by Call-ID into calls, with the INVITE's number and
// caller, both SDPs, the answer and BYE times and the caller's SIP INFO digits.
//
// Which side is the caller: the INVITE's From tag. A request with that From tag came from the
// caller; a response to such a request came from the server (the callee side).
//
// Threads: control plane.
#pragma once

#include <vector>

#include "capture_file.h"
#include "tutti/capture/capture.h"
#include "tutti/capture/sip_message.h"

namespace tutti::capture {

struct SipEvent {
  double time = 0;
  Endpoint source;
  Endpoint destination;
  SipMessage message;
};

// Calls in INVITE order. Dialogs without an INVITE are counted and skipped. Fills caller_media
// and server_media from the SDPs; streams are left empty.
std::vector<CapturedCall> build_calls(const std::vector<SipEvent>& events,
                                      CaptureWarnings& warnings);

// Canonical text of an IPv4/IPv6 address ("::ffff:..." and "0:0::1" forms normalised), or the
// text unchanged when it is not an address (a host name in c=).
std::string canonical_address(const std::string& text);

}  // namespace tutti::capture
