// Requests inside a call that the far end sends (re-INVITE, UPDATE, INFO, REFER) and the ones
// outside any call that libre's session layer leaves to us (OPTIONS, unknown methods, stray
// requests).
#include <cerrno>

#include "core.h"
#include "dtmf_relay.h"

namespace tutti::sip::internal {
namespace {

bool is_method(const sip_msg& msg, const char* method) { return pl_strcmp(&msg.met, method) == 0; }

std::optional<InfoDigit> parse_info(const sip_msg& msg) {
  const std::string body = body_of(msg);
  if (content_type_is(msg, "application", "dtmf-relay")) return parse_dtmf_relay(body);
  return parse_dtmf(body);
}

}  // namespace

void Core::reply(const sip_msg& msg, int status, const char* reason, const std::string& headers) {
  (void)sip_treplyf(nullptr, nullptr, sip_, &msg, false, static_cast<uint16_t>(status), reason,
                    "%sContent-Length: 0\r\n\r\n", headers.c_str());
}

// A re-INVITE with an offer (libre answers 488 when this returns an error).
int Core::on_offer(mbuf** descp, const sip_msg* msg, void* arg) {
  auto* call = static_cast<Call*>(arg);
  Core& core = *call->core;
  const std::string offer = body_of(*msg);
  if (call->state != CallState::kEstablished || offer.empty()) {
    bump(core.counters_.bad_requests);  // offerless re-INVITEs are not supported
    return EPROTO;
  }
  Result<std::string> answer = core.handler_.on_reoffer(call->id, offer);
  if (!answer.is_ok()) {
    bump(core.counters_.bad_requests);
    return EPROTO;
  }
  *descp = mbuf_of(answer.value());
  return *descp != nullptr ? 0 : ENOMEM;
}

// libre 1.1.0's session layer does not know UPDATE: find the call by its dialog here.
void Core::handle_update(const sip_msg& msg) {
  Call* call = find_by_dialog(msg);
  if (call == nullptr || call->state != CallState::kEstablished) {
    bump(counters_.bad_requests);
    reply(msg, 481, reason_phrase(481), "");
    return;
  }
  const std::string contact = "Contact: <" + contact_uri_ + ">\r\n";
  const std::string offer = body_of(msg);
  if (offer.empty()) {  // a session refresh
    reply(msg, 200, reason_phrase(200), contact);
    return;
  }
  Result<std::string> answer = handler_.on_reoffer(call->id, offer);
  if (!answer.is_ok()) {
    bump(counters_.bad_requests);
    reply(msg, 488, reason_phrase(488), "");
    return;
  }
  (void)sip_treplyf(nullptr, nullptr, sip_, &msg, false, 200, reason_phrase(200),
                    "%sContent-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s",
                    contact.c_str(), answer.value().size(), answer.value().c_str());
}

void Core::on_info(struct sip* /*stack*/, const sip_msg* msg, void* arg) {
  auto* call = static_cast<Call*>(arg);
  bump(call->core->counters_.infos);
  call->core->handle_info(*call, *msg);
}

void Core::handle_info(Call& call, const sip_msg& msg) {
  if (call.state == CallState::kClosed) {
    bump(counters_.bad_requests);
    reply(msg, 481, reason_phrase(481), "");
    return;
  }
  if (!content_type_is(msg, "application", "dtmf-relay") &&
      !content_type_is(msg, "application", "dtmf")) {
    bump(counters_.bad_requests);
    reply(msg, 415, reason_phrase(415), "Accept: application/dtmf-relay, application/dtmf\r\n");
    return;
  }
  const auto digit = parse_info(msg);
  if (!digit) {
    bump(counters_.bad_requests);
    reply(msg, 400, reason_phrase(400), "");
    return;
  }
  reply(msg, 200, reason_phrase(200), "");
  handler_.on_info_dtmf(call.id, digit->digit, digit->duration_ms);
}

void Core::on_refer(struct sip* /*stack*/, const sip_msg* msg, void* arg) {
  auto* call = static_cast<Call*>(arg);
  bump(call->core->counters_.refers);
  call->core->handle_refer(*call, *msg);
}

void Core::handle_refer(Call& call, const sip_msg& msg) {
  const sip_hdr* header = sip_msg_hdr(&msg, SIP_HDR_REFER_TO);
  sip_addr target{};
  if (call.state != CallState::kEstablished || header == nullptr ||
      sip_addr_decode(&target, &header->val) != 0) {
    bump(counters_.bad_requests);
    const int status = call.state != CallState::kEstablished ? 481 : 400;
    reply(msg, status, reason_phrase(status), "");
    return;
  }
  int status = handler_.on_refer(call.id, to_string(target.auri));
  if (status < 200 || status > 699) status = 603;
  if (status >= 300) {
    reply(msg, status, reason_phrase(status), "");
    return;
  }
  reply(msg, 202, reason_phrase(202), "Contact: <" + contact_uri_ + ">\r\n");
  // The handler may have hung up from on_refer: then there is no dialog left to notify.
  if (find(call.id) == nullptr) return;
  call.refer_pending = true;
  (void)send_notify(call, "SIP/2.0 100 Trying\r\n", false);
}

void Core::refer_done(CallId id, int status) {
  Call* call = find(id);
  if (call == nullptr || !call->refer_pending) return;
  call->refer_pending = false;
  const std::string sipfrag =
      "SIP/2.0 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
  (void)send_notify(*call, sipfrag, true);
}

// The implicit subscription of RFC 3515: NOTIFY message/sipfrag inside the call's dialog.
int Core::send_notify(Call& call, const std::string& sipfrag, bool final) {
  sip_dialog* dialog = sipsess_dialog(call.sess);
  if (dialog == nullptr) return EINVAL;
  const char* state = final ? "terminated;reason=noresource" : "active;expires=60";
  return sip_drequestf(nullptr, sip_, true, "NOTIFY", dialog, 0, nullptr, nullptr, nullptr, nullptr,
                       "Event: refer\r\n"
                       "Subscription-State: %s\r\n"
                       "Contact: <%s>\r\n"
                       "Content-Type: message/sipfrag;version=2.0\r\n"
                       "Content-Length: %zu\r\n"
                       "\r\n"
                       "%s",
                       state, contact_uri_.c_str(), sipfrag.size(), sipfrag.c_str());
}

// After the session layer: OPTIONS, UPDATE, and whatever nobody else took.
bool Core::on_request(const sip_msg* msg, void* arg) {
  Core& core = *static_cast<Core*>(arg);
  if (core.take_probe(*msg)) return true;
  if (is_method(*msg, "OPTIONS")) {
    bump(core.counters_.options);
    core.reply(*msg, 200, reason_phrase(200),
               std::string("Allow: ") + kAllowedMethods +
                   "\r\nAccept: application/sdp\r\nContact: <" + core.contact_uri_ + ">\r\n");
  } else if (is_method(*msg, "UPDATE")) {
    core.handle_update(*msg);
  } else if (is_method(*msg, "ACK")) {
    // A stray ACK: nothing to answer.
  } else if (is_method(*msg, "NOTIFY")) {
    core.handle_notify(*msg);
  } else if (is_method(*msg, "CANCEL") || is_method(*msg, "REFER") || is_method(*msg, "PRACK")) {
    bump(core.counters_.bad_requests);
    core.reply(*msg, 481, reason_phrase(481), "");
  } else {
    bump(core.counters_.bad_requests);
    core.reply(*msg, 405, reason_phrase(405), std::string("Allow: ") + kAllowedMethods + "\r\n");
  }
  return true;
}

}  // namespace tutti::sip::internal
