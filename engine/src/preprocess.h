// Tick-safe: run.  Not tick-safe: create (allocates SpeexDSP's state), the destructor.
//
// Optional per-participant clean-up of the input: SpeexDSP's noise suppression and automatic
// gain control, on the room-rate frame before talk detection (so suppressed noise no longer
// counts as talking). Off by default; a room turns it on for all its members.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "tutti/status.h"

struct SpeexPreprocessState_;

namespace tutti::detail {

class Preprocessor {
 public:
  static Result<std::unique_ptr<Preprocessor>> create(std::size_t frame_samples, int rate_hz,
                                                      bool denoise, bool agc);
  ~Preprocessor();
  Preprocessor(const Preprocessor&) = delete;
  Preprocessor& operator=(const Preprocessor&) = delete;

  // Tick: processes one frame of frame_samples in place.
  void run(int16_t* pcm) noexcept;

 private:
  explicit Preprocessor(SpeexPreprocessState_* state) : state_(state) {}
  SpeexPreprocessState_* state_;
};

}  // namespace tutti::detail
