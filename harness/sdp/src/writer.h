// Writes the SDP text of tutti's offers and answers (CRLF lines, RFC 4566 order).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tutti/sdp/sdp.h"

namespace tutti::sdp::detail {

// The audio m= section tutti writes.
struct AudioSection {
  std::string proto = "RTP/AVP";
  std::vector<Format> formats;  // codec(s) first, then telephone-event
  int ptime_ms = 0;             // 0: no a=ptime
  std::optional<int> audio_level_ext_id;
  Direction audio_level_direction = Direction::kRecvOnly;  // tutti reads levels, never sends
  Direction direction = Direction::kSendRecv;
};

// A whole description: the session lines from `local`, then the audio section, with every
// m= line of `refused` written at its position with port 0.
std::string write_description(const LocalMedia& local, const AudioSection& audio,
                              const std::vector<OtherMedia>& refused);

}  // namespace tutti::sdp::detail
