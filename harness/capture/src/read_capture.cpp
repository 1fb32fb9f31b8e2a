// read_capture(): the file's UDP datagrams, split into SIP and the rest; SIP builds the calls,
// the rest is matched to the calls' SDP addresses.
#include <string_view>

#include "capture_file.h"
#include "dialogs.h"
#include "streams.h"
#include "tutti/capture/capture.h"
#include "tutti/capture/sip_message.h"

namespace tutti::capture {
namespace {

std::string_view as_text(const std::vector<uint8_t>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// SIP messages to events; everything else to media, in file order.
void split_sip(const std::vector<Datagram>& datagrams, Capture& capture, std::vector<SipEvent>& sip,
               std::vector<const Datagram*>& media) {
  for (const Datagram& d : datagrams) {
    const std::string_view text = as_text(d.payload);
    if (!looks_like_sip(text)) {
      media.push_back(&d);
      continue;
    }
    auto message = parse_sip_message(text);
    if (!message) {
      ++capture.warnings.sip_unparsed;
      capture.warnings.add_message("SIP " + d.source.to_string() + " -> " +
                                   d.destination.to_string() + " does not parse (" +
                                   message.status().message() + "); skipped");
      continue;
    }
    ++capture.sip_messages;
    sip.push_back({d.time, d.source, d.destination, std::move(message.value())});
  }
}

}  // namespace

std::string Endpoint::to_string() const {
  // Appended piece by piece: "literal" + std::string trips GCC 12's false -Wrestrict at -O3.
  const bool ipv6 = address.find(':') != std::string::npos;
  std::string out;
  if (ipv6) out += '[';
  out += address;
  if (ipv6) out += ']';
  out += ':';
  out += std::to_string(port);
  return out;
}

const char* digit_method_name(DigitMethod method) {
  switch (method) {
    case DigitMethod::kRfc4733:
      return "rfc4733";
    case DigitMethod::kSipInfo:
      return "sip-info";
  }
  return "unknown";
}

void CaptureWarnings::add_message(std::string message) {
  if (messages.size() < kMaxMessages) {
    messages.push_back(std::move(message));
  } else {
    ++messages_dropped;
  }
}

Result<Capture> read_capture(const std::string& path) {
  Capture capture;
  std::vector<Datagram> datagrams;
  if (Status status = read_udp_datagrams(path, capture, datagrams); !status) return status;
  std::vector<SipEvent> sip;
  std::vector<const Datagram*> media;
  split_sip(datagrams, capture, sip, media);
  capture.calls = build_calls(sip, capture.warnings);
  assign_streams(media, capture.calls, capture.warnings);
  return capture;
}

}  // namespace tutti::capture
