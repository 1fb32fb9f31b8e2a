#include "rtp_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "net.h"
#include "tutti/codecs/g711.h"
#include "tutti/rtp/rtp_packet.h"
#include "tutti/rtp/telephone_event.h"
#include "tutti/tone_meter.h"

namespace tutti::e2e {
namespace {

constexpr int kDigitPackets = 5;    // 100 ms held
constexpr int kEndPackets = 3;      // RFC 4733 2.5.1.4
constexpr int kGapPackets = 5;      // 100 ms between digits
constexpr uint8_t kEventVolume = 10;

int bind_udp(int port) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

int local_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

}  // namespace

RtpPeer::RtpPeer() {
  // An even RTP port with the odd one above it free for RTCP.
  for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
    const int fd = bind_udp(0);
    if (fd < 0) continue;
    const int port = local_port(fd);
    const int rtcp = port % 2 == 0 ? bind_udp(port + 1) : -1;
    if (rtcp < 0) {
      close(fd);
      continue;
    }
    fd_ = fd;
    rtcp_fd_ = rtcp;
    port_ = port;
  }
  if (fd_ < 0) throw std::runtime_error("RtpPeer: no even UDP port pair");
  ssrc_ = 0x7E570000u ^ static_cast<uint32_t>(port_);
  sequence_ = static_cast<uint16_t>(port_ * 7);
  receiver_ = std::thread([this] { receive_loop(); });
  sender_ = std::thread([this] { send_loop(); });
}

RtpPeer::~RtpPeer() {
  stop_ = true;
  sender_.join();
  receiver_.join();
  close(fd_);
  close(rtcp_fd_);
}

void RtpPeer::set_remote(int port) {
  std::lock_guard lock(mutex_);
  remote_port_ = port;
}

std::optional<int> RtpPeer::remote_port() const {
  std::lock_guard lock(mutex_);
  return remote_port_;
}

void RtpPeer::play_tone(double freq_hz, double amplitude) {
  std::lock_guard lock(mutex_);
  tone_hz_ = freq_hz;
  amplitude_ = freq_hz > 0.0 ? amplitude : 0.0;
}

void RtpPeer::send_digits(const std::string& digits) {
  std::lock_guard lock(mutex_);
  for (char d : digits) digit_queue_.push_back(d);
}

bool RtpPeer::wait_digits_sent(std::chrono::milliseconds timeout) {
  return wait_until(
      [&] {
        std::lock_guard lock(mutex_);
        return digit_queue_.empty() && !digit_active_;
      },
      timeout);
}

void RtpPeer::send_loop() {
  auto next = std::chrono::steady_clock::now();
  int digit_packet = 0;  // position inside the current digit's packets, gap included
  uint8_t event = 0;
  uint32_t event_timestamp = 0;
  while (!stop_) {
    next += 20ms;
    std::this_thread::sleep_until(next);
    {
      std::lock_guard lock(mutex_);
      if (!remote_port_) continue;
      if (!digit_active_ && !digit_queue_.empty()) {
        const auto code = rtp::digit_to_event(digit_queue_.front());
        digit_queue_.pop_front();
        if (!code) continue;
        event = *code;
        event_timestamp = timestamp_;
        digit_active_ = true;
        digit_packet = 0;
      }
    }
    if (digit_active_ && digit_packet < kDigitPackets + kEndPackets) {
      const bool end = digit_packet >= kDigitPackets;
      const int held = end ? kDigitPackets : digit_packet + 1;
      send_event_packet(event, end, static_cast<uint16_t>(held * kPeerFrameSamples),
                        digit_packet == 0, event_timestamp);
      timestamp_ += kPeerFrameSamples;
    } else {
      send_audio_frame();
    }
    if (digit_active_ && ++digit_packet >= kDigitPackets + kEndPackets + kGapPackets) {
      std::lock_guard lock(mutex_);
      digit_active_ = false;
    }
  }
}

void RtpPeer::send_audio_frame() {
  double hz, amplitude;
  {
    std::lock_guard lock(mutex_);
    hz = tone_hz_;
    amplitude = amplitude_;
  }
  std::array<int16_t, kPeerFrameSamples> pcm{};
  const double step = 2.0 * std::numbers::pi * hz / kPeerRateHz;
  for (auto& s : pcm) {
    s = static_cast<int16_t>(std::lround(amplitude * 32767.0 * std::sin(phase_)));
    phase_ = std::fmod(phase_ + step, 2.0 * std::numbers::pi);
  }
  std::array<uint8_t, kPeerFrameSamples> ulaw{};
  codecs::encode_g711(codecs::G711Law::kMuLaw, pcm, ulaw);
  send_packet(codecs::kPcmuPayloadType, false, timestamp_, ulaw.data(), ulaw.size());
  timestamp_ += kPeerFrameSamples;
}

void RtpPeer::send_event_packet(uint8_t event, bool end, uint16_t duration, bool marker,
                                uint32_t timestamp) {
  rtp::TelephoneEvent te;
  te.event = event;
  te.end = end;
  te.volume = kEventVolume;
  te.duration = duration;
  std::array<uint8_t, rtp::kTelephoneEventBytes> payload{};
  rtp::write_telephone_event(te, payload);
  send_packet(kTelephoneEventPayloadType, marker, timestamp, payload.data(), payload.size());
}

void RtpPeer::send_packet(uint8_t payload_type, bool marker, uint32_t timestamp,
                          const uint8_t* payload, std::size_t size) {
  rtp::RtpHeader header;
  header.marker = marker;
  header.payload_type = payload_type;
  header.sequence = sequence_++;
  header.timestamp = timestamp;
  header.ssrc = ssrc_;
  std::array<uint8_t, 512> packet{};
  const std::size_t bytes =
      rtp::write_rtp(header, std::span<const uint8_t>(payload, size), std::nullopt, packet);
  const auto remote = remote_port();
  if (bytes == 0 || !remote) return;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(*remote));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sendto(fd_, packet.data(), bytes, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
}

void RtpPeer::receive_loop() {
  rtp::DtmfDetector detector;
  std::array<uint8_t, 2048> buf{};
  std::array<int16_t, 2048> pcm{};
  while (!stop_) {
    pollfd fds[2] = {{.fd = fd_, .events = POLLIN, .revents = 0},
                     {.fd = rtcp_fd_, .events = POLLIN, .revents = 0}};
    if (poll(fds, 2, 50) <= 0) continue;
    if (fds[1].revents & POLLIN) recv(rtcp_fd_, buf.data(), buf.size(), 0);  // not checked here
    if (!(fds[0].revents & POLLIN)) continue;
    sockaddr_in from{};
    socklen_t from_len = sizeof from;
    const ssize_t n =
        recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n <= 0) continue;
    const auto parsed = rtp::parse_rtp(std::span<const uint8_t>(buf.data(), std::size_t(n)));
    if (!parsed) continue;
    const rtp::RtpPacket& packet = *parsed;
    std::lock_guard lock(mutex_);
    ++packets_;
    if (!remote_port_) remote_port_ = ntohs(from.sin_port);  // symmetric RTP
    const uint8_t pt = packet.header.payload_type;
    if (pt == codecs::kPcmuPayloadType || pt == codecs::kPcmaPayloadType) {
      const auto law = pt == codecs::kPcmuPayloadType ? codecs::G711Law::kMuLaw
                                                      : codecs::G711Law::kALaw;
      const int count = codecs::decode_g711(law, packet.payload, pcm);
      received_.insert(received_.end(), pcm.begin(), pcm.begin() + count);
      last_audio_ = std::chrono::steady_clock::now();
    } else if (pt == kTelephoneEventPayloadType) {
      const auto found = detector.feed(packet.header.timestamp, packet.payload);
      for (std::size_t i = 0; i < found.count; ++i) digits_ += found.digits[i];
    }
  }
}

std::size_t RtpPeer::packets_received() const {
  std::lock_guard lock(mutex_);
  return packets_;
}

std::size_t RtpPeer::samples_received() const {
  std::lock_guard lock(mutex_);
  return received_.size();
}

std::vector<int16_t> RtpPeer::received_since(std::size_t mark) const {
  std::lock_guard lock(mutex_);
  if (mark >= received_.size()) return {};
  return {received_.begin() + static_cast<std::ptrdiff_t>(mark), received_.end()};
}

std::vector<int16_t> RtpPeer::last_received(std::chrono::milliseconds window) const {
  std::lock_guard lock(mutex_);
  const auto want = static_cast<std::size_t>(window.count() * kPeerRateHz / 1000);
  const std::size_t from = received_.size() > want ? received_.size() - want : 0;
  return {received_.begin() + static_cast<std::ptrdiff_t>(from), received_.end()};
}

std::string RtpPeer::digits_received() const {
  std::lock_guard lock(mutex_);
  return digits_;
}

bool RtpPeer::receiving(std::chrono::milliseconds within) const {
  std::lock_guard lock(mutex_);
  return packets_ > 0 && std::chrono::steady_clock::now() - last_audio_ < within;
}

double RtpPeer::level_db(double freq_hz, std::chrono::milliseconds window) const {
  const auto pcm = last_received(window);
  // Less than half the window heard counts as nothing: a stale tail must not pass for a tone.
  if (pcm.size() * 2000 < static_cast<std::size_t>(window.count() * kPeerRateHz)) return -200.0;
  return tone_level_db(std::span<const int16_t>(pcm), freq_hz, kPeerRateHz);
}

bool RtpPeer::wait_for_tone(double freq_hz, double min_db, std::chrono::milliseconds timeout,
                            std::chrono::milliseconds window) const {
  return wait_until([&] { return receiving() && level_db(freq_hz, window) >= min_db; }, timeout);
}

bool RtpPeer::wait_for_quiet(double freq_hz, double max_db, std::chrono::milliseconds timeout,
                             std::chrono::milliseconds window) const {
  return wait_until([&] { return !receiving() || level_db(freq_hz, window) <= max_db; }, timeout);
}

bool RtpPeer::send_raw(std::span<const uint8_t> datagram, int to_port) const {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(to_port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const ssize_t sent =
      sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  return sent == static_cast<ssize_t>(datagram.size());
}

bool RtpPeer::wait_for_packets(std::size_t count, std::chrono::milliseconds timeout) const {
  return wait_until([&] { return packets_received() >= count; }, timeout);
}

}  // namespace tutti::e2e
