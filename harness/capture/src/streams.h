// RTP streams of the calls found in a capture. A datagram belongs to a call's `sent` stream when
// its source is the caller's SDP address (caller_media), to its `received` stream when that is
// its destination; RTCP on port + 1 or multiplexed is counted, not kept. When several calls
// announced the same address (SIPp reuses its media port), the latest INVITE before the packet
// wins. Anything else that looks like RTP is counted in rtp_without_sdp and reported per flow.
//
// Threads: control plane.
#pragma once

#include <vector>

#include "capture_file.h"
#include "tutti/capture/capture.h"

namespace tutti::capture {

// Fills sent, sent_summary, received_summary, codec, telephone_event_pt and the RFC 4733 digits
// of each call (digits then sorted by time, SIP INFO ones included).
void assign_streams(const std::vector<const Datagram*>& media, std::vector<CapturedCall>& calls,
                    CaptureWarnings& warnings);

}  // namespace tutti::capture
