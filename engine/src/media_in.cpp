#include "media_in.h"

#include <algorithm>
#include <cstring>

#include "rt.h"
#include "tutti/codecs/opus.h"

namespace tutti::detail {

namespace {
int codec_rate(const codecs::CodecInfo& codec, const MediaConfig& config) {
  return codec.id == codecs::CodecId::kOpus ? config.opus_sample_rate_hz : codec.sample_rate_hz;
}
}  // namespace

MediaIn::MediaIn(const codecs::CodecInfo& codec, const MediaConfig& config, int room_rate_hz,
                 int tick_ms, std::size_t ring_packets)
    : codec_(codec),
      silence_level_dbov_(config.silence_level_dbov),
      room_frame_(static_cast<std::size_t>(room_rate_hz / 1000 * tick_ms)),
      codec_frame_(static_cast<std::size_t>(codec_rate(codec, config) / 1000 * tick_ms)),
      codec_rate_hz_(codec_rate(codec, config)),
      clock_rate_hz_(codec.rtp_clock_rate_hz),
      ring_(ring_packets),
      jitter_(JitterConfig{codec.rtp_clock_rate_hz, tick_ms, config.jitter_min_ms,
                           config.jitter_max_ms, 64}) {}

Result<std::unique_ptr<MediaIn>> MediaIn::create(const codecs::CodecInfo& codec,
                                                 const MediaConfig& config, int room_rate_hz,
                                                 int tick_ms, std::size_t ring_packets) {
  const int rate = codec_rate(codec, config);
  auto decoder = codecs::create_decoder(codec, rate);
  if (!decoder.ok()) {
    return Status{StatusCode::kInvalidArgument, "decoder for " + std::string(codec.encoding_name) +
                                                    ": " + decoder.status().message()};
  }
  std::unique_ptr<MediaIn> in(new MediaIn(codec, config, room_rate_hz, tick_ms, ring_packets));
  in->decoder_ = std::move(decoder.value());
  if (rate != room_rate_hz) {
    auto rs = codecs::RtResampler::create(rate, room_rate_hz);
    if (!rs.ok()) return Status{StatusCode::kInvalidArgument, rs.status().message()};
    in->resampler_ = std::move(rs.value());
  }
  return in;
}

bool MediaIn::push(const RtpInput& p) noexcept {
  InputPacket* slot = p.payload.size() <= kMaxRtpPayloadBytes ? ring_.try_prepare_push() : nullptr;
  if (slot == nullptr) {
    push_dropped_.add();
    return false;
  }
  slot->header = RtpPacketView{p.seq, p.timestamp, p.ssrc, p.payload_type, p.marker, {}};
  slot->arrival_ms = p.arrival_ms;
  slot->silent = p.audio_level_dbov > silence_level_dbov_;
  slot->bytes = static_cast<uint16_t>(slot->silent ? 0 : p.payload.size());
  std::copy_n(p.payload.begin(), slot->bytes, slot->payload);
  ring_.commit_push();
  pushed_.add();
  return true;
}

TUTTI_RT void MediaIn::drain_ring() noexcept {
  while (InputPacket* p = ring_.front()) {
    RtpPacketView view = p->header;
    view.payload = std::span<const uint8_t>(p->payload, p->bytes);
    jitter_.insert(view, p->arrival_ms);
    ring_.pop();
  }
}

TUTTI_RT bool MediaIn::decode_next(bool audible) noexcept {
  const PopResult r = jitter_.pop();
  if (r.status == PopStatus::kEmpty) return false;
  const std::size_t space = kPendingSamples - pending_count_;
  std::size_t n = static_cast<std::size_t>(int64_t{r.samples} * codec_rate_hz_ / clock_rate_hz_);
  if (n == 0 || n > space) n = std::min(codec_frame_, space);
  int16_t* dst = pending_ + pending_count_;
  const bool dtx = codec_.id == codecs::CodecId::kOpus && codecs::opus_payload_is_dtx(r.payload);
  int got = 0;
  if (r.status == PopStatus::kLost) {
    lost_.add();
    if (audible) {
      const auto next = jitter_.next_payload();
      got = decoder_->has_fec() && !next.empty() ? decoder_->decode_fec(next, {dst, n})
                                                 : decoder_->conceal({dst, n});
      ++decodes_last_pull_;
      pending_audio_ = true;
    }
  } else if (!audible || r.payload.empty() || dtx) {
    skipped_.add();  // known silence, or nobody may hear it: never decoded
  } else {
    got = decoder_->decode(r.payload, {dst, space});
    ++decodes_last_pull_;
    if (got < 0) {
      decode_errors_.add();
      got = decoder_->conceal({dst, n});
    }
    pending_audio_ = true;
  }
  if (got <= 0) {
    std::fill_n(dst, n, int16_t{0});
    got = static_cast<int>(n);
  }
  pending_count_ += static_cast<std::size_t>(got);
  return true;
}

TUTTI_RT MediaIn::Frame MediaIn::pull(bool audible, int16_t* out, float* mean_square) noexcept {
  decodes_last_pull_ = 0;
  drain_ring();
  while (pending_count_ < codec_frame_ && decode_next(audible)) {
  }
  const JitterCounters jc = jitter_.counters();
  depth_ms_.store(jc.current_depth_ms, std::memory_order_relaxed);
  late_.store(jc.late, std::memory_order_relaxed);
  if (pending_count_ == 0) return Frame::kNone;
  if (pending_count_ < codec_frame_) {  // ran dry mid-frame: finish it with silence
    std::fill(pending_ + pending_count_, pending_ + codec_frame_, int16_t{0});
    pending_count_ = codec_frame_;
  }
  const bool audio = pending_audio_;
  if (audio) {
    if (resampler_) {
      resampler_->process(std::span<const int16_t>(pending_, codec_frame_), {out, room_frame_});
    } else {
      std::copy_n(pending_, room_frame_, out);
    }
    *mean_square = mean_square_int16(simd::kernels(), out, room_frame_);
  } else if (resampler_) {
    resampler_->reset();  // silence: start the next talk spurt from a clean filter
  }
  pending_count_ -= codec_frame_;
  std::memmove(pending_, pending_ + codec_frame_, pending_count_ * sizeof(int16_t));
  pending_audio_ = audio && pending_count_ > 0;
  return audio ? Frame::kAudio : Frame::kSilent;
}

void MediaIn::add_counters(LinkCounters& c) const noexcept {
  c.input_frames += pushed_.get();
  c.input_dropped += push_dropped_.get();
  c.packets_lost = lost_.get();
  c.packets_late = late_.load(std::memory_order_relaxed);
  c.decodes_skipped = skipped_.get();
  c.decode_errors = decode_errors_.get();
  c.jitter_depth_ms = depth_ms_.load(std::memory_order_relaxed);
}

}  // namespace tutti::detail
