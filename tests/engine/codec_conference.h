// A driven conference of codec participants for media-path tests: each caller encodes its
// tone with a real encoder and sends RTP payloads; what comes back is decoded with a real
// decoder, so a test hears what a phone would.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/signals.h"
#include "tutti/codecs/registry.h"
#include "tutti/engine.h"

namespace tutti::test {

struct Caller {
  std::string codec;     // PCMU, PCMA, G722, opus
  double freq_hz = 0.0;  // 0: sends nothing
  double amplitude = 0.2;
  bool sends = true;
};

class CodecConference {
 public:
  CodecConference(EngineConfig ec, RoomConfig rc, const std::vector<Caller>& callers)
      : rate_(ec.sample_rate_hz) {
    engine_ = std::move(*Engine::create(ec));
    room_ = *engine_->create_room(rc);
    for (const Caller& c : callers) add(c);
  }

  void add(const Caller& c) {
    Member m;
    m.caller = c;
    ParticipantConfig pc;
    pc.media.codec = c.codec;
    // opus_dtx stays on (the default): the engine sends nothing only for a silent mix.
    auto link = engine_->add_participant(room_, pc);
    ASSERT_TRUE(link) << link.status().to_string();
    m.link = *link;
    m.info = codecs::find(c.codec, c.codec == "G722" ? 8000 : (c.codec == "opus" ? 48000 : 8000));
    ASSERT_NE(m.info, nullptr);
    codecs::EncoderOptions eo;
    eo.inband_fec = true;
    eo.expected_loss_pct = 5;
    m.encoder = std::move(codecs::create_encoder(*m.info, eo).value());
    m.decoder = std::move(codecs::create_decoder(*m.info).value());
    m.rate = m.info->sample_rate_hz;
    m.tone = std::make_unique<ToneGenerator>(c.freq_hz, c.amplitude, m.rate);
    members_.push_back(std::move(m));
  }

  // One tick: callers send one packet each (unless told to drop it), the engine mixes, every
  // caller decodes what it got.
  void run(int ticks, const std::vector<bool>* drop = nullptr) {
    const int tick_ms = engine_->config().tick_ms;
    for (int t = 0; t < ticks; ++t) {
      for (std::size_t i = 0; i < members_.size(); ++i) {
        Member& m = members_[i];
        const std::size_t n = static_cast<std::size_t>(m.rate / 1000 * tick_ms);
        std::vector<int16_t> pcm(n);
        m.tone->fill(std::span<int16_t>(pcm));
        std::vector<uint8_t> payload(1500);
        const int bytes = m.encoder->encode(pcm, payload);
        const uint32_t clock_step =
            static_cast<uint32_t>(m.info->rtp_clock_rate_hz / 1000 * tick_ms);
        RtpInput in;
        in.seq = m.seq++;
        in.timestamp = m.timestamp;
        m.timestamp += clock_step;
        in.ssrc = 1000 + static_cast<uint32_t>(i);
        in.arrival_ms = now_ms_;
        in.payload = std::span<const uint8_t>(payload.data(), static_cast<std::size_t>(bytes));
        const bool dropped = drop != nullptr && i < drop->size() && (*drop)[i];
        if (m.caller.sends && !dropped) {
          EXPECT_TRUE(m.link.try_push_rtp(in));
        }
      }
      engine_->tick();
      now_ms_ += tick_ms;
      for (Member& m : members_) receive(m, tick_ms);
    }
  }

  const std::vector<int16_t>& heard(std::size_t i) const { return members_[i].heard; }
  std::span<const int16_t> tail(std::size_t i, int ms) const {
    const auto& h = members_[i].heard;
    const auto n = static_cast<std::size_t>(members_[i].rate / 1000 * ms);
    return std::span<const int16_t>(h).subspan(h.size() - std::min(n, h.size()));
  }
  int rate(std::size_t i) const { return members_[i].rate; }
  Engine& engine() { return *engine_; }
  RoomId room() const { return room_; }
  ParticipantLink& link(std::size_t i) { return members_[i].link; }
  const std::vector<std::vector<uint8_t>>& payloads(std::size_t i) const {
    return members_[i].payloads;
  }
  void set_sending(std::size_t i, bool on) { members_[i].caller.sends = on; }
  void keep_payloads(bool on) { keep_payloads_ = on; }
  std::size_t size() const { return members_.size(); }

 private:
  struct Member {
    Caller caller;
    ParticipantLink link;
    const codecs::CodecInfo* info = nullptr;
    std::unique_ptr<codecs::Encoder> encoder;
    std::unique_ptr<codecs::Decoder> decoder;
    std::unique_ptr<ToneGenerator> tone;
    int rate = 8000;
    uint16_t seq = 1;
    uint32_t timestamp = 0;
    std::vector<int16_t> heard;
    std::vector<std::vector<uint8_t>> payloads;
  };

  void receive(Member& m, int tick_ms) {
    std::vector<uint8_t> payload(1500);
    const RtpOutput out = m.link.try_pull_rtp(payload);
    std::vector<int16_t> pcm(static_cast<std::size_t>(m.rate / 1000 * tick_ms));
    if (out.bytes > 2) {
      const int got = m.decoder->decode(std::span<const uint8_t>(payload.data(), out.bytes), pcm);
      ASSERT_EQ(got, static_cast<int>(pcm.size()));
    } else if (out.bytes > 0) {
      m.decoder->decode(std::span<const uint8_t>(payload.data(), out.bytes), pcm);  // DTX
    }
    if (keep_payloads_) {
      payload.resize(out.bytes);
      m.payloads.push_back(payload);
    }
    m.heard.insert(m.heard.end(), pcm.begin(), pcm.end());
  }

  int rate_;
  std::unique_ptr<Engine> engine_;
  RoomId room_;
  std::vector<Member> members_;
  int64_t now_ms_ = 1000;
  bool keep_payloads_ = false;
};

}  // namespace tutti::test
