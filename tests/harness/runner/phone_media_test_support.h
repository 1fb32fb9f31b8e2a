// Two virtual participants, A and B, in one pool on 127.0.0.1, sending straight to each other
// (no server), and a clock on the pool's scenario time.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "tutti/runner/phone_media_pool.h"

namespace tutti::runner::test {

struct CodecCase {
  std::string name;
  int payload_type = 0;
  int clock_rate_hz = 8000;
  double level_tolerance_db = 1.0;  // how far a -20 dBFS tone may read after the codec
};

class PhonePair {
 public:
  // Builds the pool, both phones configured for `codec` (telephone-event on 101) and pointed
  // at each other. Fails the current test on error.
  explicit PhonePair(const CodecCase& codec);
  ~PhonePair();

  // Starts the media thread with scenario time 0 now.
  void start();
  // Sleeps until scenario time seconds.
  void at(double seconds) const;

  std::unique_ptr<PhoneMediaPool> pool;
  std::shared_ptr<PhoneMedia> a;
  std::shared_ptr<PhoneMedia> b;

 private:
  PhoneMediaPool::Clock::time_point start_;
};

// Writes a mono 16-bit WAV of a sine; returns its path.
std::string write_tone_wav(const std::string& file_name, double hz, double level_dbfs, int rate_hz,
                           int channels, double seconds);

}  // namespace tutti::runner::test
