#include "prompts.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <filesystem>
#include <vector>

#include "tutti/tone_meter.h"

namespace tutti::server {
namespace {

std::vector<int16_t> read_wav(const std::string& path, int& rate) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) return {};
  std::vector<int16_t> pcm(static_cast<std::size_t>(info.frames));
  sf_read_short(file, pcm.data(), info.frames);
  sf_close(file);
  rate = info.samplerate;
  return pcm;
}

TEST(Prompts, WrittenAtTheRoomRateWithTheirTones) {
  const auto dir = std::filesystem::temp_directory_path() / "tutti-prompts-test";
  std::filesystem::remove_all(dir);
  Result<Prompts> prompts = write_prompts(dir.string(), 16000);
  ASSERT_TRUE(prompts) << prompts.status().to_string();
  int rate = 0;
  const std::vector<int16_t> pin = read_wav(prompts->enter_pin.path, rate);
  ASSERT_FALSE(pin.empty());
  EXPECT_EQ(rate, 16000);
  EXPECT_EQ(static_cast<int>(pin.size() * 1000 / 16000), prompts->enter_pin.duration_ms);
  EXPECT_GT(tone_level_db(pin, 600, rate), -30);
  EXPECT_GT(tone_level_db(pin, 800, rate), -30);
  EXPECT_LT(tone_level_db(pin, 300, rate), -50);
  const std::vector<int16_t> busy = read_wav(prompts->refused.path, rate);
  EXPECT_GT(tone_level_db(busy, 480, rate), -30);
  EXPECT_GT(tone_level_db(busy, 620, rate), -30);
  std::filesystem::remove_all(dir);
}

TEST(Prompts, UnwritableDirectoryIsAnError) {
  Result<Prompts> prompts = write_prompts("/proc/tutti-cannot-write-here", 8000);
  EXPECT_FALSE(prompts);
}

}  // namespace
}  // namespace tutti::server
