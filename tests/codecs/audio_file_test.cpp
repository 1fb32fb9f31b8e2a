#include "tutti/codecs/audio_file.h"

#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <vector>

#include "support/signals.h"

namespace tutti::codecs {
namespace {

namespace fs = std::filesystem;

class AudioFileImport : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("tutti_codecs_" + std::to_string(::getpid()) + "_" + info->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A stereo WAV holding `freq_hz` at -10 dBFS in both channels.
  std::string write_wav(const std::string& name, int rate_hz, double seconds, double freq_hz) {
    const std::string path = (dir_ / name).string();
    SF_INFO info{};
    info.samplerate = rate_hz;
    info.channels = 2;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    EXPECT_NE(file, nullptr) << sf_strerror(nullptr);
    const auto frames = static_cast<size_t>(seconds * rate_hz);
    std::vector<float> interleaved(frames * 2);
    for (size_t i = 0; i < frames; ++i) {
      const float s = static_cast<float>(
          0.316 * std::sin(2.0 * std::numbers::pi * freq_hz * static_cast<double>(i) / rate_hz));
      interleaved[2 * i] = s;
      interleaved[2 * i + 1] = s;
    }
    EXPECT_EQ(sf_writef_float(file, interleaved.data(), static_cast<sf_count_t>(frames)),
              static_cast<sf_count_t>(frames));
    sf_close(file);
    return path;
  }

  fs::path dir_;
};

TEST_F(AudioFileImport, WavAt44100ComesBackAt48000WithSameDurationAndTone) {
  const std::string path = write_wav("tone.wav", 44100, 1.5, 1000.0);
  auto audio = import_audio_file(path, 48000);
  ASSERT_TRUE(audio.ok()) << audio.status().message();
  EXPECT_EQ(audio->sample_rate_hz, 48000);
  EXPECT_EQ(audio->source_rate_hz, 44100);
  EXPECT_EQ(audio->source_channels, 2);
  EXPECT_NEAR(static_cast<double>(audio->samples.size()), 72000.0, 2.0);
  const std::span<const float> middle = std::span<const float>(audio->samples).subspan(4800, 62400);
  EXPECT_NEAR(test::tone_level_db(middle, 1000.0, 48000), -10.0, 0.5);
  EXPECT_LT(test::tone_level_db(middle, 1300.0, 48000), -60.0);
}

TEST_F(AudioFileImport, Int16ImportAt8000KeepsTheTone) {
  const std::string path = write_wav("tone8k.wav", 44100, 1.0, 1000.0);
  auto pcm = import_audio_file_int16(path, 8000, ImportQuality::kBest);
  ASSERT_TRUE(pcm.ok()) << pcm.status().message();
  EXPECT_NEAR(static_cast<double>(pcm->size()), 8000.0, 2.0);
  const auto middle = std::span<const int16_t>(*pcm).subspan(800, 6400);
  EXPECT_NEAR(test::tone_level_db(middle, 1000.0, 8000), -10.0, 0.5);
}

TEST_F(AudioFileImport, MissingFileIsNotFoundWithItsPath) {
  const std::string path = (dir_ / "nope.wav").string();
  auto audio = import_audio_file(path, 48000);
  ASSERT_FALSE(audio.ok());
  EXPECT_EQ(audio.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(audio.status().message().find("nope.wav"), std::string::npos);
}

TEST_F(AudioFileImport, GarbageFileIsAnErrorNotACrash) {
  const std::string path = (dir_ / "garbage.wav").string();
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 7919) & 0xFF));
  }
  auto audio = import_audio_file(path, 48000);
  ASSERT_FALSE(audio.ok());
  EXPECT_FALSE(audio.status().message().empty());
}

TEST_F(AudioFileImport, FileCutInsideItsHeaderIsAnError) {
  const std::string path = write_wav("cut_header.wav", 44100, 0.5, 1000.0);
  fs::resize_file(path, 30);
  auto audio = import_audio_file(path, 48000);
  ASSERT_FALSE(audio.ok());
  EXPECT_FALSE(audio.status().message().empty());
}

TEST_F(AudioFileImport, FileCutInsideItsDataIsReportedTruncated) {
  const std::string path = write_wav("cut_data.wav", 44100, 0.5, 1000.0);
  fs::resize_file(path, fs::file_size(path) / 2);
  auto audio = import_audio_file(path, 48000);
  ASSERT_FALSE(audio.ok());
  EXPECT_NE(audio.status().message().find("truncated"), std::string::npos)
      << audio.status().message();
}

TEST_F(AudioFileImport, EmptyFileIsAnError) {
  const std::string path = (dir_ / "empty.wav").string();
  std::ofstream(path, std::ios::binary).close();
  EXPECT_FALSE(import_audio_file(path, 48000).ok());
}

TEST_F(AudioFileImport, BadTargetRateIsAnError) {
  const std::string path = write_wav("tone.wav", 8000, 0.1, 1000.0);
  auto audio = import_audio_file(path, 0);
  ASSERT_FALSE(audio.ok());
  EXPECT_EQ(audio.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace tutti::codecs
