// Control-thread helpers: turning SDP-derived StreamParams into a Target the media thread can
// use without parsing anything, and adding up stream counters.
#pragma once

#include <memory>

#include "stream.h"
#include "tutti/status.h"

namespace tutti::media::detail {

// Validates params and resolves the far end's addresses for a socket of `socket_family`.
Result<std::unique_ptr<Target>> make_target(const StreamParams& params, int socket_family,
                                            int tick_ms);

// Adds the counters of `stream` into `total`; jitter and remote loss keep the worst value.
void add_stats(StreamStats& total, const StreamStats& stream);

}  // namespace tutti::media::detail
