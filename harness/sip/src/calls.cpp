// Call setup and teardown: incoming INVITEs (UAS), dial-out (UAC), and the session callbacks
// both directions share.
#include <cerrno>
#include <cstring>

#include "core.h"

namespace tutti::sip::internal {
namespace {

constexpr const char* kSdpType = "application/sdp";

// A new mbuf for `sdp`, or nullptr for an empty one; the caller releases it.
mbuf* sdp_buffer(const std::string& sdp) { return sdp.empty() ? nullptr : mbuf_of(sdp); }

// "127.0.0.1:5070" (IPv6: "[::1]:5070").
std::string endpoint(const sa& address) {
  char text[64];
  (void)re_snprintf(text, sizeof(text), "%J", &address);
  return text;
}

bool has_sdp(const sip_msg& msg) {
  return mbuf_get_left(msg.mb) > 0 && content_type_is(msg, "application", "sdp");
}

}  // namespace

const char* reason_phrase(int status) {
  switch (status) {
    case 180:
      return "Ringing";
    case 183:
      return "Session Progress";
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 415:
      return "Unsupported Media Type";
    case 480:
      return "Temporarily Unavailable";
    case 481:
      return "Call/Transaction Does Not Exist";
    case 486:
      return "Busy Here";
    case 487:
      return "Request Terminated";
    case 488:
      return "Not Acceptable Here";
    case 500:
      return "Server Internal Error";
    case 503:
      return "Service Unavailable";
    case 603:
      return "Decline";
    default:
      return status < 300 ? "OK" : "Error";
  }
}

Call* Core::find(CallId id) {
  auto it = calls_.find(id.value);
  return it == calls_.end() ? nullptr : it->second.get();
}

Call* Core::find_by_dialog(const sip_msg& msg) {
  for (auto& [value, call] : calls_) {
    sip_dialog* dialog = sipsess_dialog(call->sess);
    if (dialog != nullptr && sip_dialog_cmp(dialog, &msg)) return call.get();
  }
  return nullptr;
}

Call* Core::add_call(CallState state) {
  auto call = std::make_unique<Call>();
  call->core = this;
  call->id = CallId{next_call_++};
  call->state = state;
  Call* raw = call.get();
  calls_.emplace(raw->id.value, std::move(call));
  bump(counters_.active_calls);
  return raw;
}

// The one way a call ends: exactly one on_closed, the session released later (see core.h).
void Core::finish(Call& call, int status, const std::string& reason) {
  if (call.state == CallState::kClosed) return;
  call.state = CallState::kClosed;
  call.invite = nullptr;
  call.reoffer_request = static_cast<struct sip_request*>(mem_deref(call.reoffer_request));
  call.refer_request = static_cast<struct sip_request*>(mem_deref(call.refer_request));
  const CallId id = call.id;
  auto it = calls_.find(id.value);
  graveyard_.push_back(std::move(it->second));
  calls_.erase(it);
  schedule_reap();
  bump(counters_.closed);
  counters_.active_calls.fetch_sub(1, std::memory_order_relaxed);
  handler_.on_closed(id, status, reason);
}

void Core::on_connect(const sip_msg* msg, void* arg) {
  static_cast<Core*>(arg)->handle_invite(*msg);
}

void Core::handle_invite(const sip_msg& msg) {
  if (shutting_down_) {
    (void)sip_treply(nullptr, sip_, &msg, 503, reason_phrase(503));
    return;
  }
  if (!has_sdp(msg)) {  // offerless INVITEs are not supported: nothing to offer them yet
    bump(counters_.bad_requests);
    (void)sip_treply(nullptr, sip_, &msg, 488, reason_phrase(488));
    return;
  }
  bump(counters_.invites);
  Call* call = add_call(CallState::kOffered);
  call->invite = &msg;
  InviteInfo info;
  info.call = call->id;
  info.request_user = to_string(msg.uri.user);
  info.from_user = to_string(msg.from.uri.user);
  info.from_display = to_string(msg.from.dname);
  info.from_uri = to_string(msg.from.auri);
  info.source = endpoint(msg.src);
  info.sdp = body_of(msg);
  handler_.on_invite(info);
  call = find(info.call);
  if (call == nullptr || call->state != CallState::kOffered) return;
  // The handler answers later: ring now, which also gives the call a session for CANCEL.
  if (accept_session(*call, 180, reason_phrase(180), nullptr) != 0) {
    (void)sip_treply(nullptr, sip_, &msg, 500, reason_phrase(500));
    finish(*call, 500, "cannot accept the INVITE");
    return;
  }
  call->invite = nullptr;
}

int Core::accept_session(Call& call, int status, const char* reason, mbuf* sdp) {
  const int err = sipsess_accept(&call.sess, sess_sock_, call.invite, static_cast<uint16_t>(status),
                                 reason, config_.contact_user.c_str(), kSdpType, sdp, nullptr,
                                 nullptr, false, on_offer, on_answer, on_established, on_info,
                                 on_refer, on_close, &call, "Allow: %s\r\n", kAllowedMethods);
  if (err == 0) {
    call.state = status >= 200 ? CallState::kAnswered : CallState::kEarly;
    call.invite = nullptr;
  }
  return err;
}

void Core::progress(CallId id, int status, const std::string& sdp) {
  Call* call = find(id);
  if (call == nullptr || status < 101 || status > 199) return;
  mbuf* body = sdp_buffer(sdp);
  if (call->state == CallState::kOffered) {
    (void)accept_session(*call, status, reason_phrase(status), body);
  } else if (call->state == CallState::kEarly) {
    (void)sipsess_progress(call->sess, static_cast<uint16_t>(status), reason_phrase(status), body,
                           "Allow: %s\r\n", kAllowedMethods);
  }
  mem_deref(body);
}

void Core::answer(CallId id, const std::string& sdp) {
  Call* call = find(id);
  if (call == nullptr) return;
  mbuf* body = sdp_buffer(sdp);
  int err = 0;
  if (call->state == CallState::kOffered) {
    err = accept_session(*call, 200, reason_phrase(200), body);
  } else if (call->state == CallState::kEarly) {
    err =
        sipsess_answer(call->sess, 200, reason_phrase(200), body, "Allow: %s\r\n", kAllowedMethods);
    if (err == 0) call->state = CallState::kAnswered;
  }
  mem_deref(body);
  if (err != 0) reject(id, 500, "cannot answer");
}

void Core::reject(CallId id, int status, const std::string& reason) {
  Call* call = find(id);
  if (call == nullptr || status < 300 || status > 699) return;
  const char* phrase = reason.empty() ? reason_phrase(status) : reason.c_str();
  if (call->state == CallState::kOffered) {
    (void)sip_treply(nullptr, sip_, call->invite, static_cast<uint16_t>(status), phrase);
  } else if (call->state == CallState::kEarly) {
    (void)sipsess_reject(call->sess, static_cast<uint16_t>(status), phrase, nullptr);
  } else {
    return;  // answered or dialing: hangup() ends those
  }
  finish(*call, status, phrase);
}

void Core::hangup(CallId id) {
  Call* call = find(id);
  if (call == nullptr) return;
  switch (call->state) {
    case CallState::kOffered:
    case CallState::kEarly:
      reject(id, 480, reason_phrase(480));
      break;
    case CallState::kAnswered:
    case CallState::kEstablished:
      finish(*call, 200, "hung up");  // releasing the session sends the BYE
      break;
    case CallState::kDialing:
      finish(*call, 487, "cancelled");  // releasing the session sends the CANCEL
      break;
    case CallState::kClosed:
      break;
  }
}

Result<CallId> Core::invite(const std::string& uri, const std::string& from_display,
                            const std::string& sdp_offer) {
  if (shutting_down_) return Status(StatusCode::kFailedPrecondition, "the agent is stopping");
  if (sdp_offer.empty()) return Status(StatusCode::kInvalidArgument, "an SDP offer is required");
  Call* call = add_call(CallState::kDialing);
  mbuf* body = sdp_buffer(sdp_offer);
  const int err = sipsess_connect(
      &call->sess, sess_sock_, uri.c_str(), from_display.empty() ? nullptr : from_display.c_str(),
      contact_uri_.c_str(), config_.contact_user.c_str(), nullptr, 0, kSdpType, body, nullptr,
      nullptr, false, on_offer, on_answer, on_progress, on_established, on_info, on_refer, on_close,
      call, "Allow: %s\r\n", kAllowedMethods);
  mem_deref(body);
  if (err != 0) {
    const CallId id = call->id;
    calls_.erase(id.value);
    counters_.active_calls.fetch_sub(1, std::memory_order_relaxed);
    return Status(StatusCode::kInvalidArgument, "cannot dial " + uri + ": " + std::strerror(err));
  }
  bump(counters_.dialed);
  return call->id;
}

// Dial-out: the 200's SDP; reported from on_established, once libre has sent the ACK.
int Core::on_answer(const sip_msg* msg, void* arg) {
  auto* call = static_cast<Call*>(arg);
  if (call->state == CallState::kDialing) call->answer_sdp = body_of(*msg);
  return 0;
}

void Core::on_progress(const sip_msg* msg, void* arg) {
  auto* call = static_cast<Call*>(arg);
  if (call->state != CallState::kDialing || msg->scode <= 100) return;
  call->core->handler_.on_ringing(call->id);
}

void Core::on_established(const sip_msg* /*msg*/, void* arg) {
  auto* call = static_cast<Call*>(arg);
  Core& core = *call->core;
  const CallId id = call->id;
  if (call->state == CallState::kDialing) {
    call->state = CallState::kEstablished;
    core.handler_.on_answered(id, call->answer_sdp);
    call->answer_sdp.clear();
  } else if (call->state == CallState::kAnswered) {
    call->state = CallState::kEstablished;
  } else {
    return;
  }
  bump(core.counters_.established);
  if (core.find(id) != nullptr) core.handler_.on_established(id);
}

// libre ended the session: a final failure, a BYE or CANCEL from the peer, or a timeout.
void Core::on_close(int err, const sip_msg* msg, void* arg) {
  auto* call = static_cast<Call*>(arg);
  if (call->state == CallState::kClosed) return;
  int status = 0;
  std::string reason;
  if (msg != nullptr && !msg->req && msg->scode >= 300) {
    status = msg->scode;
    reason = to_string(msg->reason);
  } else if (err == ECONNRESET && call->state == CallState::kEarly) {
    status = 487;
    reason = "cancelled by the caller";
  } else if (err == ECONNRESET) {
    status = 200;
    reason = "BYE";
  } else {
    reason = err != 0 ? std::strerror(err) : "closed";
  }
  call->core->finish(*call, status, reason);
}

}  // namespace tutti::sip::internal
