#include "tutti/runner/heard_audio.h"

#include <gtest/gtest.h>

#include <vector>

namespace tutti::runner {
namespace {

TEST(HeardAudio, UnwrittenTimeIsSilence) {
  HeardAudio heard(8000);
  EXPECT_EQ(heard.read(-100, 20000), std::vector<int16_t>(20000, 0));
}

TEST(HeardAudio, WritesAcrossChunkBoundariesReadBack) {
  HeardAudio heard(8000);
  std::vector<int16_t> pcm(300);
  for (std::size_t i = 0; i < pcm.size(); ++i) pcm[i] = static_cast<int16_t>(i + 1);
  heard.write(7900, pcm);  // spans chunks 0 and 1
  heard.write(-150, pcm);  // spans chunks -1 and 0
  EXPECT_EQ(heard.read(7900, 300), pcm);
  EXPECT_EQ(heard.read(-150, 300), pcm);
  const std::vector<int16_t> around = heard.read(7890, 20);
  EXPECT_EQ(around[9], 0);
  EXPECT_EQ(around[10], 1);
}

TEST(HeardAudio, LaterWriteReplacesEarlier) {
  HeardAudio heard(16000);
  heard.write(10, std::vector<int16_t>(5, 7));
  heard.write(12, std::vector<int16_t>(1, -3));
  EXPECT_EQ(heard.read(10, 5), (std::vector<int16_t>{7, 7, -3, 7, 7}));
}

TEST(HeardAudio, ArrivalsAnswerReceivedAnyForHalfOpenWindows) {
  HeardAudio heard(8000);
  heard.note_arrival(100'000);
  heard.note_arrival(120'000);
  EXPECT_FALSE(heard.any_arrival(0, 100'000));
  EXPECT_TRUE(heard.any_arrival(100'000, 100'001));
  EXPECT_TRUE(heard.any_arrival(110'000, 130'000));
  EXPECT_FALSE(heard.any_arrival(120'001, 900'000));
  heard.reset(48000);
  EXPECT_FALSE(heard.any_arrival(0, 900'000));
  EXPECT_EQ(heard.sample_rate_hz(), 48000);
}

}  // namespace
}  // namespace tutti::runner
