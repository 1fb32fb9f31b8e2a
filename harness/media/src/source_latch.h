// Strict media with symmetric RTP: which source addresses a stream accepts and where it sends.
//
// The SDP address is always accepted and, once heard from, is the only one. Until then the first
// packet from any other address latches that address (a caller behind NAT sends from its public
// address, not the one in its SDP) and replies go there. Everything else is foreign.
//
// Threads: belongs to the stream's media thread; no allocation.
#pragma once

#include "endpoint.h"

namespace tutti::media::detail {

class SourceLatch {
 public:
  // A new far end (start or re-INVITE): forget what was heard and latched.
  void reset(const Endpoint& sdp) {
    sdp_ = sdp;
    latched_ = Endpoint();
    heard_sdp_ = false;
  }

  // True when a packet from this address belongs to the stream.
  bool accept(const sockaddr* from, socklen_t length) {
    if (sdp_.same(from, length)) {
      heard_sdp_ = true;
      return true;
    }
    if (heard_sdp_) return false;
    if (latched_.valid()) return latched_.same(from, length);
    latched_ = Endpoint::from(from, length);
    return latched_.valid();
  }

  bool latched() const { return latched_.valid() && !heard_sdp_; }
  const Endpoint& latched_address() const { return latched_; }
  // Where replies go: the latched source while the SDP address is silent, else the SDP one.
  const Endpoint& destination() const { return latched() ? latched_ : sdp_; }

 private:
  Endpoint sdp_;
  Endpoint latched_;
  bool heard_sdp_ = false;
};

}  // namespace tutti::media::detail
