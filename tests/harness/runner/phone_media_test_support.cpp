#include "phone_media_test_support.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <numbers>
#include <thread>
#include <vector>

namespace tutti::runner::test {

PhonePair::PhonePair(const CodecCase& codec) {
  auto created = PhoneMediaPool::create(PhoneMediaPoolConfig{});
  EXPECT_TRUE(created.is_ok()) << created.status().to_string();
  if (!created.is_ok()) return;
  pool = std::move(created.value());
  auto phone_a = pool->add_phone("A");
  auto phone_b = pool->add_phone("B");
  EXPECT_TRUE(phone_a.is_ok() && phone_b.is_ok()) << phone_a.status().to_string();
  if (!phone_a.is_ok() || !phone_b.is_ok()) return;
  a = phone_a.value();
  b = phone_b.value();
  for (PhoneMedia* phone : {a.get(), b.get()}) {
    const Status s = phone->configure(codec.name, codec.payload_type, codec.clock_rate_hz, 101);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
  }
  EXPECT_TRUE(a->set_remote("127.0.0.1", b->rtp_port()).is_ok());
  EXPECT_TRUE(b->set_remote("127.0.0.1", a->rtp_port()).is_ok());
}

PhonePair::~PhonePair() {
  if (pool) pool->stop();
}

void PhonePair::start() {
  start_ = PhoneMediaPool::Clock::now();
  const Status s = pool->start(start_);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
}

void PhonePair::at(double seconds) const {
  std::this_thread::sleep_until(start_ + std::chrono::microseconds(std::llround(seconds * 1e6)));
}

std::string write_tone_wav(const std::string& file_name, double hz, double level_dbfs, int rate_hz,
                           int channels, double seconds) {
  const std::string path = (std::filesystem::temp_directory_path() / file_name).string();
  SF_INFO info{};
  info.samplerate = rate_hz;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) return path;
  const auto frames = static_cast<std::size_t>(rate_hz * seconds);
  std::vector<short> samples(frames * static_cast<std::size_t>(channels));
  const double amplitude = 32767 * std::pow(10, level_dbfs / 20);
  for (std::size_t i = 0; i < frames; ++i) {
    const auto v = static_cast<short>(
        std::lround(amplitude * std::sin(2 * std::numbers::pi * hz * i / rate_hz)));
    for (int c = 0; c < channels; ++c) samples[i * static_cast<std::size_t>(channels) + c] = v;
  }
  sf_writef_short(file, samples.data(), static_cast<sf_count_t>(frames));
  sf_close(file);
  return path;
}

}  // namespace tutti::runner::test
