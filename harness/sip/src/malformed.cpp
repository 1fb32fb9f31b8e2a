// Counting malformed SIP on UDP.
//
// libre 1.1.0's UDP transport (src/sip/transp.c, udp_recv_handler) ignores datagrams of 4 bytes
// or fewer (CRLF keepalives), answers STUN, and drops whatever sip_msg_decode() refuses with a
// line on stderr, before any listener or the trace handler sees it (the trace handler runs only
// for decoded messages). The one hook ahead of that decision is a udp_helper on the transport's
// socket, which libre keeps private. The agent learns the socket from msg->sock of a probe: an
// OPTIONS the stack sends to itself once it listens. start() returns when the probe is back,
// so counting covers every datagram a peer can send.
//
// The helper repeats libre's decision on the same bytes with the same decoders, and takes the
// datagrams libre would drop: counted, and dropped without libre's stderr line. A valid message
// is decoded twice (here and by libre), which is cheap at signalling rates.
//
// Not counted: TCP. libre closes a connection whose stream does not decode, lacks a
// Content-Length or buffers more than 64 KiB, inside its own receive handler, with no hook.
#include <cinttypes>
#include <cstdio>

#include "core.h"

namespace tutti::sip::internal {
namespace {

// libre's own limit: datagrams this short are never decoded.
constexpr size_t kKeepaliveMaxBytes = 4;
constexpr uint64_t kProbeTimeoutMs = 1000;
constexpr int kGuardLayer = 0;

bool is_crlf_only(const mbuf& mb) {
  for (size_t i = mb.pos; i < mb.end; ++i) {
    if (mb.buf[i] != '\r' && mb.buf[i] != '\n') return false;
  }
  return true;
}

// What libre's UDP transport will make of the datagram: true for STUN or decodable SIP.
bool libre_accepts(mbuf& mb) {
  const size_t pos = mb.pos;
  stun_unknown_attr unknown{};
  stun_msg* stun = nullptr;
  const bool is_stun = stun_msg_decode(&stun, &mb, &unknown) == 0;
  mem_deref(stun);
  mb.pos = pos;
  if (is_stun) return true;
  sip_msg* msg = nullptr;
  const int err = sip_msg_decode(&msg, &mb);
  mem_deref(msg);
  mb.pos = pos;
  return err == 0;
}

// Where the probe goes: our own UDP address, loopback when we listen on the any-address.
sa probe_destination(const sa& laddr) {
  sa dst = laddr;
  if (sa_is_any(&laddr)) {
    (void)sa_set_str(&dst, sa_af(&laddr) == AF_INET6 ? "::1" : "127.0.0.1", sa_port(&laddr));
  }
  return dst;
}

}  // namespace

bool Core::on_datagram(sa* /*src*/, mbuf* mb, void* arg) {
  Core& core = *static_cast<Core*>(arg);
  if (mb->end <= kKeepaliveMaxBytes) {
    if (is_crlf_only(*mb)) return false;  // a keepalive: libre ignores it
  } else if (libre_accepts(*mb)) {
    return false;
  }
  bump(core.counters_.malformed);
  return true;
}

// Sends the probe and arms its deadline; start() waits on `started` until one of them fires.
void Core::start_probe(std::promise<Status>* started) {
  started_ = started;
  char token[40];
  (void)std::snprintf(token, sizeof(token), "tutti-probe-%016" PRIx64, rand_u64());
  probe_call_id_ = token;
  bool sent = false;
  sa laddr{};
  if (sip_transp_laddr(sip_, &laddr, SIP_TRANSP_UDP, nullptr) == 0) {
    const sa dst = probe_destination(laddr);
    char text[512];
    (void)re_snprintf(text, sizeof(text),
                      "OPTIONS sip:probe@%J SIP/2.0\r\n"
                      "Via: SIP/2.0/UDP %J;branch=z9hG4bK%s\r\n"
                      "From: <sip:probe@%J>;tag=%s\r\n"
                      "To: <sip:probe@%J>\r\n"
                      "Call-ID: %s\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 0\r\n"
                      "Content-Length: 0\r\n\r\n",
                      &dst, &dst, token, &dst, token, &dst, token);
    mbuf* probe = mbuf_of(text);
    sent = probe != nullptr && sip_send(sip_, nullptr, SIP_TRANSP_UDP, &dst, probe) == 0;
    mem_deref(probe);
  }
  // Without a probe on its way the agent still serves calls; it only cannot count.
  tmr_start(&probe_timer_, sent ? kProbeTimeoutMs : 0, on_probe_timeout, this);
}

bool Core::take_probe(const sip_msg& msg) {
  if (probe_call_id_.empty() || pl_strcmp(&msg.callid, probe_call_id_.c_str()) != 0) {
    return false;
  }
  if (udp_guard_ == nullptr && msg.tp == SIP_TRANSP_UDP && msg.sock != nullptr) {
    udp_sock_ = static_cast<udp_sock*>(mem_ref(msg.sock));
    (void)udp_register_helper(&udp_guard_, udp_sock_, kGuardLayer, nullptr, on_datagram, this);
  }
  tmr_cancel(&probe_timer_);
  report_started(Status::ok());
  return true;  // consumed: never answered, never counted as OPTIONS
}

void Core::on_probe_timeout(void* arg) { static_cast<Core*>(arg)->report_started(Status::ok()); }

void Core::report_started(Status status) {
  if (started_ == nullptr) return;
  started_->set_value(std::move(status));
  started_ = nullptr;  // it dies with start()
}

void Core::close_guard() {
  tmr_cancel(&probe_timer_);
  udp_guard_ = static_cast<udp_helper*>(mem_deref(udp_guard_));  // unlinks from the socket
  udp_sock_ = static_cast<udp_sock*>(mem_deref(udp_sock_));
}

}  // namespace tutti::sip::internal
