// The SIP user agent of `tutti serve`, on libre: UDP and TCP on one listen address, answering
// INVITEs (UAS) and placing them (UAC), with ACK, BYE, CANCEL, OPTIONS, re-INVITE, REFER and
// INFO (application/dtmf-relay), and sending re-INVITE, REFER and INFO inside a call it holds (the
// virtual phones of `tutti run`). The agent owns one thread running libre's event loop (the SIP
// thread); every Handler callback runs there, and the Agent's call methods must be called
// there too (from a callback, a timer or a posted task). Any other thread uses post().
//
// Malformed SIP is dropped: a UDP datagram libre cannot decode (not SIP, a truncated start line,
// bad headers) is counted in AgentStats::malformed; TCP garbage makes libre close the connection
// and is not counted. A request the agent cannot serve gets the right status (405 for unknown
// methods, 481 outside a dialog, 488 for bad SDP). Not supported: offerless INVITEs (refused with
// 488 before on_invite) and offerless re-INVITEs (488). libre 1.1.0's session layer has no UPDATE,
// so the agent answers UPDATE itself (on_reoffer, like a re-INVITE).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "tutti/status.h"

namespace tutti::sip {

struct CallId {
  uint64_t value = 0;
  friend bool operator==(CallId, CallId) = default;
  friend auto operator<=>(CallId, CallId) = default;
};

struct AgentConfig {
  std::string listen_address = "127.0.0.1";  // numeric IPv4/IPv6
  uint16_t listen_port = 5060;               // UDP and TCP
  bool tcp = true;
  std::string user_agent = "tutti";
  std::string contact_user = "tutti";  // user part of our Contact
};

struct InviteInfo {
  CallId call;
  std::string request_user;  // user part of the Request-URI: the dialled number
  std::string from_user;     // user part of From
  std::string from_display;  // display name of From ("" when none)
  std::string from_uri;      // "sip:alice@127.0.0.1"
  std::string source;        // "127.0.0.1:5070" (where the request came from)
  std::string sdp;           // the offer (never empty: offerless INVITEs get 488, see above)
};

// Called on the SIP thread. Every call gets exactly one on_closed once it is over (after an
// answer, a reject, a BYE either way, a CANCEL, a failed dial-out or stop()).
class Handler {
 public:
  virtual ~Handler() = default;
  // A new INVITE: respond now or later with progress(), answer() or reject(). When this returns
  // without a response the agent sends 180 Ringing (so a CANCEL can find the call).
  virtual void on_invite(const InviteInfo& invite) = 0;
  // The call is up: ACK received (answered incoming) or 200 OK acknowledged (dial-out).
  virtual void on_established(CallId call) = 0;
  // A re-INVITE or UPDATE with an SDP offer on an established call: return the answer SDP, or
  // an error Status (the agent answers 488 and the call keeps its old media).
  virtual Result<std::string> on_reoffer(CallId call, const std::string& sdp_offer) = 0;
  // A digit by SIP INFO (application/dtmf-relay "Signal=5\r\nDuration=160").
  virtual void on_info_dtmf(CallId call, char digit, int duration_ms) = 0;
  // A REFER on the call. Return the status to answer with (202 to accept, 4xx/5xx to refuse).
  // When accepted the agent sends NOTIFY (message/sipfrag "SIP/2.0 100 Trying"); the handler
  // reports the outcome with refer_done().
  virtual int on_refer(CallId call, const std::string& refer_to_uri) = 0;
  // Dial-out: 200 OK with the far end's SDP answer (the agent has sent the ACK).
  virtual void on_answered(CallId call, const std::string& sdp_answer) = 0;
  // Dial-out: 180/183 received.
  virtual void on_ringing(CallId /*call*/) {}
  // Dial-out / any established call: the 200 OK answer to our re-INVITE (reoffer()).
  virtual void on_reanswered(CallId /*call*/, const std::string& /*sdp_answer*/) {}
  // Our REFER (refer()): its final response when it failed (status >= 300), then each NOTIFY's
  // sipfrag status (100, 180, 200, 486...) as it arrives.
  virtual void on_refer_status(CallId /*call*/, int /*status*/) {}
  // The call is over. status: the final SIP status when it never came up (404, 486, 487, ...),
  // 200 after a BYE (either way) or 0 after a transport error or timeout.
  virtual void on_closed(CallId call, int status, const std::string& reason) = 0;
};

struct AgentStats {
  uint64_t invites = 0;  // incoming INVITEs (not re-INVITEs)
  uint64_t dialed = 0;   // outgoing INVITEs
  uint64_t established = 0;
  uint64_t closed = 0;
  uint64_t options = 0;  // OPTIONS answered
  uint64_t infos = 0;    // INFO requests
  uint64_t refers = 0;
  uint64_t bad_requests = 0;  // refused: bad headers or body, unknown dialog or method
  // UDP datagrams that are neither SIP libre can decode, nor STUN, nor a CRLF keepalive: dropped.
  uint64_t malformed = 0;
  uint64_t active_calls = 0;
};

class Agent {
 public:
  // Binds the listen address (UDP, and TCP when asked) and starts the SIP thread. Returns once
  // the stack has heard a probe it sends itself (how it finds the socket to count malformed
  // datagrams on); if the probe is lost it still starts after 1 s, and malformed stays 0.
  static Result<std::unique_ptr<Agent>> create(const AgentConfig& config, Handler& handler);
  ~Agent();  // stop() if not yet stopped
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // SIP thread. Early answer with SDP (183 Session Progress) or 180 Ringing (sdp empty).
  void progress(CallId call, int status, const std::string& sdp);
  // SIP thread. 200 OK with `sdp`; on_established follows when the ACK arrives.
  void answer(CallId call, const std::string& sdp);
  // SIP thread. A final failure response to an INVITE not yet answered (404, 486, 488, 603...).
  void reject(CallId call, int status, const std::string& reason);
  // SIP thread. Ends the call whatever its state: BYE once up, CANCEL while dialing out, 480
  // while an incoming one is still unanswered.
  void hangup(CallId call);
  // SIP thread. Dials out to `uri` ("sip:bob@127.0.0.1:5070") with our SDP offer; the display
  // name goes into From. on_answered / on_closed tell how it went.
  Result<CallId> invite(const std::string& uri, const std::string& from_display,
                        const std::string& sdp_offer);
  // SIP thread. The final NOTIFY of an accepted REFER ("SIP/2.0 200 OK" or a failure status).
  void refer_done(CallId call, int status);
  // SIP thread. A re-INVITE on an established call with a new SDP offer (hold: a=sendonly;
  // resume: a=sendrecv); the answer comes through on_reanswered. A failed re-INVITE keeps
  // the call (RFC 3261 14.1) — report it through on_reanswered with an empty SDP. An offer made
  // while a re-INVITE is in flight is sent once that one is answered (only the latest is kept).
  void reoffer(CallId call, const std::string& sdp);
  // SIP thread. REFER on the call's dialog with Refer-To: <refer_to> (blind transfer); answers
  // the NOTIFYs that follow with 200 and reports their sipfrag status via on_refer_status.
  // Refused locally (on_refer_status, soon after): 481 when the call is not established, 491
  // while an earlier REFER waits for its response, 500 when it cannot be sent.
  void refer(CallId call, const std::string& refer_to);
  // SIP thread. INFO application/dtmf-relay "Signal=D\r\nDuration=MS\r\n" on the call. Ignored for
  // a digit outside 0-9 * # A-D or a call not established.
  void send_info_dtmf(CallId call, char digit, int duration_ms);

  // Any thread. Runs `task` on the SIP thread soon (in order). Never blocks.
  void post(std::function<void()> task);
  // Any thread. Runs `task` on the SIP thread every `period` until stop().
  void every(std::chrono::milliseconds period, std::function<void()> task);

  // Any thread but the SIP thread. Sends BYE on every established call (CANCEL/480 on the
  // others), waits up to `grace` for the answers, then ends the SIP thread. Idempotent. Each
  // call still open gets on_closed first (200 after the BYE, 480 or 487 otherwise). Tasks posted
  // after stop() are dropped.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

  AgentStats stats() const;  // any thread (relaxed snapshot)

 private:
  struct Impl;
  explicit Agent(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tutti::sip
