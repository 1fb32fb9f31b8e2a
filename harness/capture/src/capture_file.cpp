#include "capture_file.h"

#include <pcap/pcap.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "datagram.h"

namespace tutti::capture {
namespace {

struct PcapCloser {
  void operator()(pcap_t* handle) const { pcap_close(handle); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

// libpcap reads both formats through one call; the first four bytes say which it was.
std::string format_from_magic(const std::array<unsigned char, 4>& magic) {
  if (magic == std::array<unsigned char, 4>{0x0A, 0x0D, 0x0D, 0x0A}) return "pcapng";
  return "pcap";
}

Status open_error(const std::string& path, int error) {
  const std::string reason = std::strerror(error);
  if (error == ENOENT) return {StatusCode::kNotFound, path + ": " + reason};
  if (error == EACCES) return {StatusCode::kPermissionDenied, path + ": " + reason};
  return {StatusCode::kInvalidArgument, path + ": cannot read: " + reason};
}

void count_skipped(FrameKind kind, CaptureWarnings& warnings) {
  switch (kind) {
    case FrameKind::kNonIp:
      ++warnings.non_ip;
      break;
    case FrameKind::kNonUdp:
      ++warnings.non_udp;
      break;
    case FrameKind::kFragment:
      ++warnings.fragments;
      break;
    case FrameKind::kMalformed:
      ++warnings.malformed;
      break;
    case FrameKind::kSnapped:
      ++warnings.snapped;
      break;
    case FrameKind::kUdp:
      break;
  }
}

void add_summary_messages(CaptureWarnings& w) {
  if (w.fragments > 0) {
    w.add_message(std::to_string(w.fragments) + " IP fragments skipped (not reassembled)");
  }
  if (w.snapped > 0) {
    w.add_message(std::to_string(w.snapped) + " packets cut by the snap length skipped");
  }
  if (w.malformed > 0) {
    w.add_message(std::to_string(w.malformed) +
                  " packets with a link, IP or UDP header that does not fit skipped");
  }
}

}  // namespace

Status read_udp_datagrams(const std::string& path, Capture& capture, std::vector<Datagram>& out) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return open_error(path, errno);
  std::array<unsigned char, 4> magic{};
  const std::size_t got = std::fread(magic.data(), 1, magic.size(), file);
  std::rewind(file);
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  // On success pcap_close() closes the FILE; on failure it is still ours.
  PcapHandle handle(
      pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf));
  if (!handle) {
    std::fclose(file);
    if (got < magic.size()) {
      return {StatusCode::kInvalidArgument, path + ": not a pcap or pcapng capture (too short)"};
    }
    return {StatusCode::kInvalidArgument,
            path + ": not a pcap or pcapng capture (libpcap: " + errbuf + ")"};
  }
  capture.format = format_from_magic(magic);
  const int dlt = pcap_datalink(handle.get());
  CaptureWarnings& warnings = capture.warnings;
  const auto link_name = supported_link_type_name(dlt);
  if (!link_name) {
    const char* name = pcap_datalink_val_to_name(dlt);
    capture.link_type = name != nullptr ? name : std::to_string(dlt);
    warnings.unknown_link_type = true;
    warnings.add_message("link type " + capture.link_type + " (" + std::to_string(dlt) +
                         ") cannot be decoded: no packets read");
    return Status::ok();
  }
  capture.link_type = *link_name;

  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  for (;;) {
    const int rc = pcap_next_ex(handle.get(), &header, &data);
    if (rc == PCAP_ERROR_BREAK) break;  // end of file
    if (rc != 1) {
      warnings.truncated = true;
      warnings.add_message("reading stopped after " + std::to_string(capture.packets_read) +
                           " packets: " + pcap_geterr(handle.get()));
      break;
    }
    ++capture.packets_read;
    const double time = static_cast<double>(header->ts.tv_sec) +
                        static_cast<double>(header->ts.tv_usec) * 1e-9;  // nanosecond handle
    if (capture.first_time == kNotSeen) capture.first_time = time;
    capture.last_time = time;
    const DecodedFrame frame = decode_frame(dlt, {data, header->caplen}, header->len);
    if (frame.kind != FrameKind::kUdp) {
      count_skipped(frame.kind, warnings);
      continue;
    }
    ++capture.udp_datagrams;
    out.push_back({time,
                   frame.udp.source,
                   frame.udp.destination,
                   {frame.udp.payload.begin(), frame.udp.payload.end()}});
  }
  add_summary_messages(warnings);
  return Status::ok();
}

}  // namespace tutti::capture
