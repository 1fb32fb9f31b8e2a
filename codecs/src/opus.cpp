// libopus allocates its state in opus_*_create; every later call works in that memory only.
#include "tutti/codecs/opus.h"

#include <cstring>

#include <opus.h>

#include <string>

namespace tutti::codecs {
namespace {

bool is_opus_rate(int sample_rate_hz) {
  switch (sample_rate_hz) {
    case 8000:
    case 12000:
    case 16000:
    case 24000:
    case 48000:
      return true;
    default:
      return false;
  }
}

ErrorCode map_opus_error(int opus_error) {
  switch (opus_error) {
    case OPUS_BAD_ARG:
    case OPUS_BUFFER_TOO_SMALL:
      return ErrorCode::kInvalidArgument;
    case OPUS_INVALID_PACKET:
      return ErrorCode::kCorruptData;
    case OPUS_UNIMPLEMENTED:
      return ErrorCode::kUnsupported;
    default:
      return ErrorCode::kLibraryError;
  }
}

Status validate(const OpusEncoderConfig& c) {
  auto bad = [](const std::string& what) {
    return Status(ErrorCode::kInvalidArgument, "Opus encoder: " + what);
  };
  if (!is_opus_rate(c.sample_rate_hz)) {
    return bad("sample_rate_hz " + std::to_string(c.sample_rate_hz) +
               " is not one of 8000, 12000, 16000, 24000, 48000");
  }
  if (c.bitrate_bps < 6000 || c.bitrate_bps > 510000) {
    return bad("bitrate_bps " + std::to_string(c.bitrate_bps) + " outside 6000..510000");
  }
  if (c.complexity < 0 || c.complexity > 10) {
    return bad("complexity " + std::to_string(c.complexity) + " outside 0..10");
  }
  if (c.expected_loss_pct < 0 || c.expected_loss_pct > 100) {
    return bad("expected_loss_pct " + std::to_string(c.expected_loss_pct) + " outside 0..100");
  }
  return Status::success();
}

Status apply(::OpusEncoder* enc, const OpusEncoderConfig& c) {
  const int results[] = {
      opus_encoder_ctl(enc, OPUS_SET_BITRATE(c.bitrate_bps)),
      opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(c.complexity)),
      opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(c.inband_fec ? 1 : 0)),
      opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(c.expected_loss_pct)),
      opus_encoder_ctl(enc, OPUS_SET_DTX(c.dtx ? 1 : 0)),
      opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)),
  };
  for (int r : results) {
    if (r != OPUS_OK) {
      return {map_opus_error(r), std::string("Opus encoder: ctl failed: ") + opus_strerror(r)};
    }
  }
  return Status::success();
}

}  // namespace

OpusEncoder::OpusEncoder(::OpusEncoder* state, const OpusEncoderConfig& config)
    : state_(state), config_(config) {}

OpusEncoder::~OpusEncoder() { opus_encoder_destroy(state_); }

int OpusEncoder::encode(std::span<const int16_t> pcm, std::span<uint8_t> out) {
  const int n = opus_encode(state_, pcm.data(), static_cast<int>(pcm.size()), out.data(),
                            static_cast<opus_int32>(out.size()));
  if (n < 0) return error_return(map_opus_error(n));
  last_frame_was_dtx_ = n <= 2;
  return n;
}

bool OpusEncoder::copy_state_from(const Encoder& other) {
  const auto* o = dynamic_cast<const OpusEncoder*>(&other);
  if (o == nullptr || o == this || o->config_.sample_rate_hz != config_.sample_rate_hz ||
      o->config_.bitrate_bps != config_.bitrate_bps || o->config_.dtx != config_.dtx ||
      o->config_.inband_fec != config_.inband_fec || o->config_.complexity != config_.complexity) {
    return false;
  }
  std::memcpy(state_, o->state_, static_cast<std::size_t>(opus_encoder_get_size(1)));
  last_frame_was_dtx_ = o->last_frame_was_dtx_;
  return true;
}

void OpusEncoder::reset() {
  opus_encoder_ctl(state_, OPUS_RESET_STATE);
  last_frame_was_dtx_ = false;
}

OpusDecoder::OpusDecoder(::OpusDecoder* state, int sample_rate_hz)
    : state_(state), sample_rate_hz_(sample_rate_hz) {}

OpusDecoder::~OpusDecoder() { opus_decoder_destroy(state_); }

int OpusDecoder::decode(std::span<const uint8_t> payload, std::span<int16_t> pcm) {
  if (payload.empty()) return error_return(ErrorCode::kCorruptData);  // empty means PLC to libopus
  const int n = opus_decode(state_, payload.data(), static_cast<opus_int32>(payload.size()),
                            pcm.data(), static_cast<int>(pcm.size()), 0);
  return n < 0 ? error_return(map_opus_error(n)) : n;
}

int OpusDecoder::conceal(std::span<int16_t> pcm) {
  const int n = opus_decode(state_, nullptr, 0, pcm.data(), static_cast<int>(pcm.size()), 0);
  return n < 0 ? error_return(map_opus_error(n)) : n;
}

int OpusDecoder::decode_fec(std::span<const uint8_t> next_payload, std::span<int16_t> pcm) {
  if (next_payload.empty()) return conceal(pcm);
  const int n =
      opus_decode(state_, next_payload.data(), static_cast<opus_int32>(next_payload.size()),
                  pcm.data(), static_cast<int>(pcm.size()), 1);
  return n < 0 ? error_return(map_opus_error(n)) : n;
}

void OpusDecoder::reset() { opus_decoder_ctl(state_, OPUS_RESET_STATE); }

Result<std::unique_ptr<OpusEncoder>> create_opus_encoder(const OpusEncoderConfig& config) {
  if (Status s = validate(config); !s.ok()) return s;
  int err = OPUS_OK;
  ::OpusEncoder* enc = opus_encoder_create(config.sample_rate_hz, 1, OPUS_APPLICATION_VOIP, &err);
  if (err != OPUS_OK || enc == nullptr) {
    return {map_opus_error(err), std::string("Opus encoder: create failed: ") + opus_strerror(err)};
  }
  std::unique_ptr<OpusEncoder> wrapper(new OpusEncoder(enc, config));
  if (Status s = apply(enc, config); !s.ok()) return s;
  return wrapper;
}

Result<std::unique_ptr<OpusDecoder>> create_opus_decoder(int sample_rate_hz) {
  if (!is_opus_rate(sample_rate_hz)) {
    return {ErrorCode::kInvalidArgument, "Opus decoder: sample_rate_hz " +
                                             std::to_string(sample_rate_hz) +
                                             " is not one of 8000, 12000, 16000, 24000, 48000"};
  }
  int err = OPUS_OK;
  ::OpusDecoder* dec = opus_decoder_create(sample_rate_hz, 1, &err);
  if (err != OPUS_OK || dec == nullptr) {
    return {map_opus_error(err), std::string("Opus decoder: create failed: ") + opus_strerror(err)};
  }
  return std::unique_ptr<OpusDecoder>(new OpusDecoder(dec, sample_rate_hz));
}

}  // namespace tutti::codecs
