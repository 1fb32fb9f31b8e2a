#include "dialogs.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <string_view>

namespace tutti::capture {
namespace {

struct Dialog {
  CapturedCall call;
  std::string caller_tag;
  long invite_cseq = 0;
  bool have_invite = false;
  std::size_t messages = 0;
  std::set<long> info_cseqs;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "application/sdp; charset=..." -> "application/sdp"
std::string content_type(const SipMessage& message) {
  const std::string_view value = message.header("content-type").value_or("");
  std::string type = lower(value.substr(0, value.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  return type;
}

bool has_sdp(const SipMessage& message) {
  if (message.body.empty()) return false;
  const std::string type = content_type(message);
  return type == "application/sdp" || (type.empty() && message.body.starts_with("v=0"));
}

std::string from_tag(const SipMessage& message) {
  return parse_name_addr(message.header("from").value_or("")).tag;
}

std::optional<sdp::SessionDescription> read_sdp(const SipEvent& event, const std::string& what,
                                                CaptureWarnings& warnings) {
  if (!has_sdp(event.message)) return std::nullopt;
  auto parsed = sdp::parse(event.message.body);
  if (!parsed) {
    ++warnings.sdp_unparsed;
    warnings.add_message("Call-ID " + std::string(event.message.call_id()) + ": SDP of the " +
                         what + " does not parse: " + parsed.status().message());
    return std::nullopt;
  }
  return std::move(parsed.value());
}

// "Signal=5\r\nDuration=160" (application/dtmf-relay) or "5" (application/dtmf).
std::optional<char> info_digit(const SipMessage& message) {
  const std::string type = content_type(message);
  std::string_view body = message.body;
  if (type == "application/dtmf-relay") {
    const std::string low = lower(body);
    const std::size_t at = low.find("signal");
    if (at == std::string::npos) return std::nullopt;
    body.remove_prefix(at + 6);
    while (!body.empty() && (body.front() == ' ' || body.front() == '=')) body.remove_prefix(1);
  } else if (type != "application/dtmf") {
    return std::nullopt;
  }
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) {
    body.remove_prefix(1);
  }
  if (body.empty()) return std::nullopt;
  const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(body.front())));
  if (std::isdigit(static_cast<unsigned char>(c)) || c == '*' || c == '#' ||
      (c >= 'A' && c <= 'D')) {
    return c;
  }
  return std::nullopt;
}

Endpoint media_endpoint(const std::optional<sdp::SessionDescription>& description) {
  if (!description || !description->audio) return {};
  const sdp::AudioDescription& audio = *description->audio;
  if (audio.port == 0 || audio.address.empty() || audio.address == "0.0.0.0") return {};
  return {canonical_address(audio.address), audio.port};
}

void on_initial_invite(const SipEvent& event, Dialog& dialog, CaptureWarnings& warnings) {
  const SipMessage& m = event.message;
  const NameAddr from = parse_name_addr(m.header("from").value_or(""));
  CapturedCall& call = dialog.call;
  call.number = uri_user(m.request_uri);
  call.from_user = uri_user(from.uri);
  call.from_display = from.display;
  call.invite_time = event.time;
  call.caller_sip = event.source;
  dialog.caller_tag = from.tag;
  dialog.invite_cseq = m.cseq()->first;
  dialog.have_invite = true;
  call.offer = read_sdp(event, "INVITE", warnings);
}

void on_response(const SipEvent& event, Dialog& dialog, CaptureWarnings& warnings) {
  const SipMessage& m = event.message;
  const auto cseq = m.cseq();
  CapturedCall& call = dialog.call;
  if (cseq->second != "INVITE" || cseq->first != dialog.invite_cseq) return;
  if (m.status_code < 200 || call.final_status != 0) return;
  call.final_status = m.status_code;
  if (m.status_code >= 300) return;
  call.answer_time = event.time;
  call.answer = read_sdp(event, "200 OK", warnings);
}

void on_request(const SipEvent& event, Dialog& dialog, CaptureWarnings& warnings) {
  const SipMessage& m = event.message;
  CapturedCall& call = dialog.call;
  const bool from_caller = from_tag(m) == dialog.caller_tag;
  if (m.method == "ACK" && !call.offer && from_caller) {
    call.offer = read_sdp(event, "ACK", warnings);  // late offer: the caller's SDP comes last
  } else if (m.method == "BYE" && !call.hung_up()) {
    call.bye_time = event.time;
    call.bye_from_caller = from_caller;
  } else if (m.method == "INFO" && from_caller) {
    // UDP retransmissions of one INFO share its CSeq: the digit counts once.
    const auto digit = info_digit(m);
    if (digit && dialog.info_cseqs.insert(m.cseq()->first).second) {
      call.digits.push_back({*digit, event.time, DigitMethod::kSipInfo});
    }
  }
}

}  // namespace

std::string canonical_address(const std::string& text) {
  std::array<unsigned char, 16> raw{};
  char out[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, text.c_str(), raw.data()) == 1) {
    return inet_ntop(AF_INET, raw.data(), out, sizeof out) ? out : text;
  }
  if (inet_pton(AF_INET6, text.c_str(), raw.data()) == 1) {
    return inet_ntop(AF_INET6, raw.data(), out, sizeof out) ? out : text;
  }
  return text;
}

std::vector<CapturedCall> build_calls(const std::vector<SipEvent>& events,
                                      CaptureWarnings& warnings) {
  std::map<std::string, Dialog> dialogs;
  for (const SipEvent& event : events) {
    const SipMessage& m = event.message;
    Dialog& dialog = dialogs[std::string(m.call_id())];
    ++dialog.messages;
    const bool initial_invite = m.is_request && m.method == "INVITE" && !dialog.have_invite &&
                                parse_name_addr(m.header("to").value_or("")).tag.empty();
    if (initial_invite) {
      dialog.call.call_id = std::string(m.call_id());
      on_initial_invite(event, dialog, warnings);
    } else if (!dialog.have_invite) {
      continue;
    } else if (m.is_request) {
      on_request(event, dialog, warnings);
    } else {
      on_response(event, dialog, warnings);
    }
  }
  std::vector<CapturedCall> calls;
  for (auto& [call_id, dialog] : dialogs) {
    if (!dialog.have_invite) {
      ++warnings.sip_without_invite;
      warnings.add_message("Call-ID " + call_id + ": " + std::to_string(dialog.messages) +
                           " SIP messages but no initial INVITE captured; skipped");
      continue;
    }
    dialog.call.caller_media = media_endpoint(dialog.call.offer);
    dialog.call.server_media = media_endpoint(dialog.call.answer);
    calls.push_back(std::move(dialog.call));
  }
  std::stable_sort(calls.begin(), calls.end(), [](const CapturedCall& a, const CapturedCall& b) {
    return a.invite_time < b.invite_time;
  });
  return calls;
}

}  // namespace tutti::capture
