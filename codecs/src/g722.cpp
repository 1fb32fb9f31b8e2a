// spandsp owns the ADPCM state; we allocate it once here and re-initialise it in place on
// reset (g722_*_init with a non-null state only clears memory).
#include "tutti/codecs/g722.h"

#include <spandsp.h>

#include "tutti/codecs/fade_concealer.h"

namespace tutti::codecs {
namespace {

class G722Encoder final : public Encoder {
 public:
  explicit G722Encoder(g722_encode_state_t* state) : state_(state) {}
  ~G722Encoder() override { g722_encode_free(state_); }
  G722Encoder(const G722Encoder&) = delete;
  G722Encoder& operator=(const G722Encoder&) = delete;

  int encode(std::span<const int16_t> pcm, std::span<uint8_t> out) override {
    if (pcm.size() % 2 != 0 ||
        out.size() < static_cast<size_t>(g722_payload_bytes(static_cast<int>(pcm.size())))) {
      return error_return(ErrorCode::kInvalidArgument);
    }
    return g722_encode(state_, out.data(), pcm.data(), static_cast<int>(pcm.size()));
  }
  int sample_rate_hz() const override { return kG722SampleRateHz; }
  void reset() override { g722_encode_init(state_, kG722BitRateBps, 0); }

 private:
  g722_encode_state_t* state_;
};

class G722Decoder final : public Decoder {
 public:
  G722Decoder(g722_decode_state_t* state, int max_frame_ms)
      : state_(state), concealer_(kG722SampleRateHz, max_frame_ms) {}
  ~G722Decoder() override { g722_decode_free(state_); }
  G722Decoder(const G722Decoder&) = delete;
  G722Decoder& operator=(const G722Decoder&) = delete;

  int decode(std::span<const uint8_t> payload, std::span<int16_t> pcm) override {
    if (pcm.size() < payload.size() * 2) return error_return(ErrorCode::kInvalidArgument);
    const int n = g722_decode(state_, pcm.data(), payload.data(), static_cast<int>(payload.size()));
    if (n < 0) return error_return(ErrorCode::kCorruptData);
    concealer_.remember(pcm.first(static_cast<size_t>(n)));
    return n;
  }
  int conceal(std::span<int16_t> pcm) override { return concealer_.conceal(pcm); }
  int sample_rate_hz() const override { return kG722SampleRateHz; }
  void reset() override {
    g722_decode_init(state_, kG722BitRateBps, 0);
    concealer_.reset();
  }

 private:
  g722_decode_state_t* state_;
  FadeConcealer concealer_;
};

}  // namespace

Result<std::unique_ptr<Encoder>> create_g722_encoder() {
  g722_encode_state_t* state = g722_encode_init(nullptr, kG722BitRateBps, 0);
  if (state == nullptr) return {ErrorCode::kLibraryError, "G.722: spandsp g722_encode_init failed"};
  return std::unique_ptr<Encoder>(std::make_unique<G722Encoder>(state));
}

Result<std::unique_ptr<Decoder>> create_g722_decoder(int max_frame_ms) {
  if (max_frame_ms <= 0) {
    return {ErrorCode::kInvalidArgument, "G.722: max_frame_ms must be positive"};
  }
  g722_decode_state_t* state = g722_decode_init(nullptr, kG722BitRateBps, 0);
  if (state == nullptr) return {ErrorCode::kLibraryError, "G.722: spandsp g722_decode_init failed"};
  return std::unique_ptr<Decoder>(std::make_unique<G722Decoder>(state, max_frame_ms));
}

}  // namespace tutti::codecs
