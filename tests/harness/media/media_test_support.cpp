#include "media_test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <numbers>
#include <thread>

#include "support/signals.h"

namespace tutti::media::test {

UdpSocket::UdpSocket(uint16_t port) {
  fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    return;
  }
  socklen_t length = sizeof(a);
  getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &length);
  port_ = ntohs(a.sin_port);
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) close(fd_);
}

void UdpSocket::send_to(uint16_t port, std::span<const uint8_t> bytes) const {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof(a));
}

std::optional<Bytes> UdpSocket::receive(int timeout_ms) const {
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
  Bytes buffer(2048);
  const ssize_t n = recv(fd_, buffer.data(), buffer.size(), 0);
  if (n < 0) return std::nullopt;
  buffer.resize(static_cast<std::size_t>(n));
  return buffer;
}

std::vector<Bytes> UdpSocket::receive_all() const {
  std::vector<Bytes> out;
  while (std::optional<Bytes> b = receive(0)) out.push_back(std::move(*b));
  return out;
}

ToneRtp::ToneRtp(double freq_hz, uint32_t ssrc)
    : pcm_(160), step_(2.0 * std::numbers::pi * freq_hz / 8000.0), ssrc_(ssrc) {
  encoder_ = std::move(codecs::create_encoder(*codecs::find("PCMU", 8000)).value());
}

Bytes ToneRtp::next() {
  for (int16_t& s : pcm_) {
    s = static_cast<int16_t>(std::lround(8000.0 * std::sin(phase_)));
    phase_ += step_;
  }
  uint8_t payload[160];
  const int bytes = encoder_->encode(pcm_, payload);
  rtp::RtpHeader h;
  h.payload_type = 0;
  h.sequence = sequence_++;
  h.timestamp = timestamp_;
  h.ssrc = ssrc_;
  timestamp_ += 160;
  Bytes packet(12 + 160);
  packet.resize(
      rtp::write_rtp(h, std::span(payload, static_cast<std::size_t>(bytes)), std::nullopt, packet));
  return packet;
}

void Phone::collect() {
  for (Bytes& b : rtp.receive_all()) {
    storage.push_back(std::make_unique<Bytes>(std::move(b)));
    const auto parsed = rtp::parse_rtp(*storage.back());
    if (parsed) received.push_back(*parsed);
  }
}

MediaHubConfig HubConference::test_hub_config() {
  MediaHubConfig c;
  c.port_low = kTestPortLow;
  c.port_high = kTestPortHigh;
  c.threads = 2;
  c.rtcp_interval_ms = 200;
  return c;
}

HubConference::HubConference(int participants, MediaHubConfig config) {
  EngineConfig ec;
  ec.tick_ms = 20;
  ec.sample_rate_hz = 8000;
  engine_ = std::move(*Engine::create(ec));
  RoomConfig rc;
  rc.name = "media";
  room_ = *engine_->create_room(rc);
  auto hub = MediaHub::create(config);
  EXPECT_TRUE(hub) << hub.status().to_string();
  hub_ = std::move(*hub);
  for (int i = 0; i < participants; ++i) calls_.push_back(add_call());
  EXPECT_TRUE(engine_->start());
}

Call HubConference::add_call() {
  Call c;
  ParticipantConfig pc;
  pc.name = "caller";
  pc.media.codec = "PCMU";
  c.link = *engine_->add_participant(room_, pc);
  auto opened = hub_->open_stream();
  EXPECT_TRUE(opened) << opened.status().to_string();
  c.stream = *opened;
  tones_.push_back(
      std::make_unique<ToneRtp>(1000.0, 0x1000 + static_cast<uint32_t>(tones_.size())));
  return c;
}

StreamParams HubConference::params(std::size_t call) const {
  StreamParams p;
  p.link = calls_[call].link;
  p.payload_type = 0;
  p.clock_rate_hz = 8000;
  p.telephone_event_pt = 101;
  p.remote_address = "127.0.0.1";
  p.remote_rtp_port = calls_[call].phone->rtp.port();
  p.remote_rtcp_port = calls_[call].phone->rtcp.port();
  return p;
}

void HubConference::start_all() {
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    ASSERT_TRUE(hub_->start(calls_[i].stream.id, params(i)));
  }
}

void HubConference::talk(int from, int packets) {
  auto next = std::chrono::steady_clock::now();
  for (int n = 0; n < packets; ++n) {
    if (from >= 0) {
      const auto i = static_cast<std::size_t>(from);
      calls_[i].phone->rtp.send_to(calls_[i].stream.rtp_port, tones_[i]->next());
    }
    next += std::chrono::milliseconds(20);
    std::this_thread::sleep_until(next);
    for (Call& c : calls_) c.phone->collect();
  }
}

namespace {

std::vector<int16_t> decode_all(const std::vector<rtp::RtpPacket>& packets, std::size_t first) {
  auto decoder = std::move(codecs::create_decoder(*codecs::find("PCMU", 8000)).value());
  std::vector<int16_t> pcm;
  std::vector<int16_t> frame(960);
  for (std::size_t i = first; i < packets.size(); ++i) {
    if (packets[i].header.payload_type != 0) continue;
    const int n = decoder->decode(packets[i].payload, frame);
    if (n > 0) pcm.insert(pcm.end(), frame.begin(), frame.begin() + n);
  }
  return pcm;
}

}  // namespace

double decoded_rms_db(const std::vector<rtp::RtpPacket>& packets, std::size_t first) {
  return tutti::test::rms_db(decode_all(packets, first));
}

double decoded_tone_db(const std::vector<rtp::RtpPacket>& packets, std::size_t first,
                       double freq_hz) {
  return tutti::test::tone_level_db(decode_all(packets, first), freq_hz, 8000);
}

}  // namespace tutti::media::test
