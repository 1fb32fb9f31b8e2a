// Requests we send inside a call (re-INVITE, REFER, INFO) and the NOTIFYs that report on our
// REFER.
//
// Why not sipsess_modify() for the re-INVITE: libre 1.1.0 reports a 2xx through the session's
// answer handler but swallows a failure (a 488 just drops the offer), and the caller must hear
// about both. So the agent sends the re-INVITE itself on the session's dialog and ACKs the 2xx
// itself; the session never learns of it, which is fine because its media state is ours.
//
// Lifetimes. The requests in flight sit in Call::reoffer_request / refer_request with the Call*
// as handler argument; libre clears the slot before it calls the handler with the final
// response, and finish() releases what is still in flight (which silences the handler), so no
// response reaches a buried Call. INFO goes through sipsess_info, which owns its request; its
// handler takes no argument.
#include <cerrno>

#include "core.h"
#include "dtmf_relay.h"

namespace tutti::sip::internal {
namespace {

constexpr int kReferTimeoutStatus = 408;

bool is_final(int err, const sip_msg* msg) {
  return err != 0 || msg == nullptr || msg->scode >= 200;
}

bool is_refer_event(const sip_msg& msg) {
  const sip_hdr* event = sip_msg_hdr(&msg, SIP_HDR_EVENT);
  if (event == nullptr) return false;
  pl package = event->val;  // "refer" or "refer;id=93809824"
  for (size_t i = 0; i < package.l; ++i) {
    if (package.p[i] == ';' || package.p[i] == ' ') {
      package.l = i;
      break;
    }
  }
  return pl_strcasecmp(&package, "refer") == 0;
}

}  // namespace

void Core::reoffer(CallId id, const std::string& sdp) {
  Call* call = find(id);
  if (call == nullptr) return;
  if (call->reoffer_request != nullptr && !sdp.empty()) {
    call->queued_offer = sdp;  // one INVITE transaction at a time (RFC 3261 14.1)
    return;
  }
  if (call->state != CallState::kEstablished || sdp.empty() || send_reinvite(*call, sdp) != 0) {
    post([this, id] { handler_.on_reanswered(id, std::string()); });
  }
}

int Core::send_reinvite(Call& call, const std::string& sdp) {
  sip_dialog* dialog = sipsess_dialog(call.sess);
  if (dialog == nullptr) return EINVAL;
  return sip_drequestf(&call.reoffer_request, sip_, true, "INVITE", dialog, 0, nullptr, nullptr,
                       on_reinvite_response, &call,
                       "Contact: <%s>\r\n"
                       "Allow: %s\r\n"
                       "Content-Type: application/sdp\r\n"
                       "Content-Length: %zu\r\n"
                       "\r\n"
                       "%s",
                       contact_uri_.c_str(), kAllowedMethods, sdp.size(), sdp.c_str());
}

// The final response to our re-INVITE: ACK a 2xx (a new transaction with the INVITE's CSeq),
// report, then send the offer queued meanwhile.
void Core::on_reinvite_response(int err, const sip_msg* msg, void* arg) {
  if (!is_final(err, msg)) return;
  auto* call = static_cast<Call*>(arg);
  Core& core = *call->core;
  std::string answer;
  if (err == 0 && msg != nullptr && msg->scode < 300) {
    sip_dialog* dialog = sipsess_dialog(call->sess);
    (void)sip_dialog_update(dialog, msg);
    (void)sip_drequestf(nullptr, core.sip_, false, "ACK", dialog, msg->cseq.num, nullptr, nullptr,
                        nullptr, nullptr, "Contact: <%s>\r\nContent-Length: 0\r\n\r\n",
                        core.contact_uri_.c_str());
    answer = body_of(*msg);
  }
  const CallId id = call->id;
  std::string next = std::move(call->queued_offer);
  call->queued_offer.clear();
  core.handler_.on_reanswered(id, answer);
  if (!next.empty()) core.reoffer(id, next);  // the handler may have hung up: reoffer() checks
}

void Core::report_refer_status_soon(CallId id, int status) {
  post([this, id, status] { handler_.on_refer_status(id, status); });
}

void Core::refer(CallId id, const std::string& refer_to) {
  Call* call = find(id);
  if (call == nullptr) return;
  if (call->state != CallState::kEstablished) return report_refer_status_soon(id, 481);
  if (call->refer_request != nullptr) return report_refer_status_soon(id, 491);
  sip_dialog* dialog = sipsess_dialog(call->sess);
  const int err = dialog == nullptr || refer_to.empty()
                      ? EINVAL
                      : sip_drequestf(&call->refer_request, sip_, true, "REFER", dialog, 0, nullptr,
                                      nullptr, on_refer_response, call,
                                      "Refer-To: <%s>\r\n"
                                      "Referred-By: <%s>\r\n"
                                      "Contact: <%s>\r\n"
                                      "Content-Length: 0\r\n"
                                      "\r\n",
                                      refer_to.c_str(), contact_uri_.c_str(), contact_uri_.c_str());
  if (err != 0) report_refer_status_soon(id, 500);
}

// A 2xx says nothing yet (the NOTIFYs will); a failure is the outcome.
void Core::on_refer_response(int err, const sip_msg* msg, void* arg) {
  if (!is_final(err, msg)) return;
  auto* call = static_cast<Call*>(arg);
  int status = 0;
  if (err != 0 || msg == nullptr) {
    status = err == ETIMEDOUT ? kReferTimeoutStatus : 500;
  } else if (msg->scode >= 300) {
    status = msg->scode;
  }
  if (status != 0) call->core->handler_.on_refer_status(call->id, status);
}

// A NOTIFY of the implicit subscription our REFER made (RFC 3515): 200, then its sipfrag status.
void Core::handle_notify(const sip_msg& msg) {
  Call* call = find_by_dialog(msg);
  if (call == nullptr) {
    bump(counters_.bad_requests);
    reply(msg, 481, reason_phrase(481), "");
    return;
  }
  if (!is_refer_event(msg)) {
    bump(counters_.bad_requests);
    reply(msg, 489, "Bad Event", "Allow-Events: refer\r\n");
    return;
  }
  const auto status = parse_sipfrag_status(body_of(msg));
  if (!status || !content_type_is(msg, "message", "sipfrag")) {
    bump(counters_.bad_requests);
    reply(msg, 400, reason_phrase(400), "");
    return;
  }
  reply(msg, 200, reason_phrase(200), "Contact: <" + contact_uri_ + ">\r\n");
  handler_.on_refer_status(call->id, *status);
}

void Core::send_info_dtmf(CallId id, char digit, int duration_ms) {
  Call* call = find(id);
  const auto body = format_dtmf_relay(digit, duration_ms);
  if (call == nullptr || call->state != CallState::kEstablished || !body) return;
  mbuf* buffer = mbuf_of(*body);
  if (buffer == nullptr) return;
  (void)sipsess_info(call->sess, "application/dtmf-relay", buffer, on_info_response, nullptr);
  mem_deref(buffer);
}

// libre ends the session itself on 408/481; other answers change nothing.
void Core::on_info_response(int /*err*/, const sip_msg* /*msg*/, void* /*arg*/) {}

}  // namespace tutti::sip::internal
