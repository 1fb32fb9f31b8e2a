#include "preprocess.h"

#include <speex/speex_preprocess.h>

#include "rt.h"

namespace tutti::detail {

Result<std::unique_ptr<Preprocessor>> Preprocessor::create(std::size_t frame_samples, int rate_hz,
                                                           bool denoise, bool agc) {
  SpeexPreprocessState* state =
      speex_preprocess_state_init(static_cast<int>(frame_samples), rate_hz);
  if (state == nullptr) {
    return Status{StatusCode::kInternal, "SpeexDSP preprocessor could not be created"};
  }
  int on = denoise ? 1 : 0;
  speex_preprocess_ctl(state, SPEEX_PREPROCESS_SET_DENOISE, &on);
  on = agc ? 1 : 0;
  speex_preprocess_ctl(state, SPEEX_PREPROCESS_SET_AGC, &on);
  if (agc) {
    float level = 8000.0f;  // about -12 dBFS RMS: speech level after AGC
    speex_preprocess_ctl(state, SPEEX_PREPROCESS_SET_AGC_LEVEL, &level);
  }
  int off = 0;  // SpeexDSP's VAD is a stub; talk detection is ours
  speex_preprocess_ctl(state, SPEEX_PREPROCESS_SET_VAD, &off);
  speex_preprocess_ctl(state, SPEEX_PREPROCESS_SET_DEREVERB, &off);
  return std::unique_ptr<Preprocessor>(new Preprocessor(state));
}

Preprocessor::~Preprocessor() { speex_preprocess_state_destroy(state_); }

TUTTI_RT void Preprocessor::run(int16_t* pcm) noexcept { speex_preprocess_run(state_, pcm); }

}  // namespace tutti::detail
