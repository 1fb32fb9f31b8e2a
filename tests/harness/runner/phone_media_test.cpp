// Two virtual participants hearing each other directly, per codec: what was sent is heard at
// its level, in its time window, and nothing before or after.
#include "tutti/runner/phone_media.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "phone_media_test_support.h"
#include "tutti/runner/listen.h"

namespace tutti::runner {
namespace {

using test::CodecCase;
using test::PhonePair;

class PhoneMediaCodecTest : public ::testing::TestWithParam<CodecCase> {};

TEST_P(PhoneMediaCodecTest, ToneIsHeardAtItsLevelOnlyWhileSent) {
  PhonePair pair(GetParam());
  ASSERT_TRUE(pair.a->set_source(AudioSourceSpec::tone(500, -20)).is_ok());
  pair.start();
  pair.at(0.2);
  pair.a->start_sending();
  pair.at(0.7);
  pair.a->stop_sending();
  pair.at(1.0);

  PhoneMedia& b = *pair.b;
  const int rate_hz = b.heard_rate_hz();
  EXPECT_FALSE(b.received_any(0.0, 0.2)) << "heard before A started sending";
  EXPECT_TRUE(is_silent(b.heard(0.0, 0.2)));
  EXPECT_TRUE(b.received_any(0.2, 0.26)) << "A's first packet should arrive within a tick";
  EXPECT_NEAR(tone_db(b.heard(0.3, 0.65), 500, rate_hz), -20.0, GetParam().level_tolerance_db);
  EXPECT_LT(tone_db(b.heard(0.3, 0.65), 900, rate_hz), -45.0);
  EXPECT_FALSE(b.received_any(0.75, 1.0)) << "heard after A stopped";
  EXPECT_TRUE(is_silent(b.heard(0.75, 1.0)));
  EXPECT_FALSE(pair.a->received_any(0.0, 1.0)) << "B never sent";

  const PhoneMediaStats a_stats = pair.a->stats();
  const PhoneMediaStats b_stats = b.stats();
  EXPECT_NEAR(static_cast<double>(a_stats.packets_out), 25.0, 2.0);  // 500 ms of 20 ms frames
  EXPECT_EQ(b_stats.packets_in, a_stats.packets_out);
  EXPECT_EQ(b_stats.lost, 0);
  EXPECT_LT(b_stats.jitter_ms, 5.0);
  EXPECT_EQ(b_stats.malformed, 0u);
}

INSTANTIATE_TEST_SUITE_P(Codecs, PhoneMediaCodecTest,
                         ::testing::Values(CodecCase{"PCMU", 0, 8000, 0.5},
                                           CodecCase{"PCMA", 8, 8000, 0.5},
                                           CodecCase{"G722", 9, 8000, 1.0},
                                           CodecCase{"opus", 111, 48000, 2.0}),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(PhoneMedia, WavFileIsHeard) {
  PhonePair pair(CodecCase{"G722", 9, 8000});
  const std::string path =
      test::write_tone_wav("tutti_phone_media_test.wav", 700, -15, 44100, 2, 0.3);
  ASSERT_TRUE(pair.a->set_source(AudioSourceSpec::file(path)).is_ok());
  std::filesystem::remove(path);  // read at set_source (already configured)
  pair.start();
  pair.a->start_sending();
  pair.at(0.6);
  pair.a->stop_sending();
  EXPECT_NEAR(tone_db(pair.b->heard(0.1, 0.5), 700, pair.b->heard_rate_hz()), -15.0, 1.5);
}

TEST(PhoneMedia, DigitsAreReceivedInOrderWithTheirTimesAndAudioPauses) {
  PhonePair pair(CodecCase{"PCMU", 0, 8000});
  ASSERT_TRUE(pair.a->set_source(AudioSourceSpec::tone(500, -20)).is_ok());
  pair.start();
  pair.a->start_sending();
  pair.at(0.1);
  ASSERT_TRUE(pair.a->send_digits("12#", 100).is_ok());
  pair.at(0.75);
  EXPECT_FALSE(pair.a->digits_pending());

  const std::vector<ReceivedDigit> digits = pair.b->digits_received();
  ASSERT_EQ(digits.size(), 3u);
  EXPECT_EQ(std::string({digits[0].digit, digits[1].digit, digits[2].digit}), "12#");
  double previous_end = 0.1;
  for (const ReceivedDigit& d : digits) {
    EXPECT_GE(d.start_s, previous_end);
    EXPECT_NEAR(d.end_s - d.start_s, 0.08, 0.03) << d.digit;  // 100 ms: 5 packets, 4 gaps
    EXPECT_FALSE(pair.b->received_any(d.start_s + 0.002, d.end_s)) << "audio during " << d.digit;
    previous_end = d.end_s;
  }
  EXPECT_LT(digits.back().end_s, 0.7);
  EXPECT_TRUE(pair.b->received_any(digits.back().end_s + 0.05, 0.75)) << "audio resumes";
  EXPECT_EQ(pair.a->stats().digits_out, 3u);
  EXPECT_EQ(pair.b->stats().digits_in, 3u);
  EXPECT_EQ(pair.b->stats().lost, 0);
}

TEST(PhoneMedia, DigitsNeedAnAgreedTelephoneEvent) {
  auto pool = PhoneMediaPool::create(PhoneMediaPoolConfig{});
  ASSERT_TRUE(pool.is_ok());
  auto phone = pool.value()->add_phone("A");
  ASSERT_TRUE(phone.is_ok());
  ASSERT_TRUE(phone.value()->configure("PCMU", 0, 8000, std::nullopt).is_ok());
  EXPECT_EQ(phone.value()->send_digits("1").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(phone.value()->configure("PCMU", 0, 8000, 101).is_ok());
  EXPECT_EQ(phone.value()->send_digits("1x").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(phone.value()->send_digits("*0D").is_ok());
}

TEST(PhoneMedia, UnknownCodecOrBadRemoteIsRefused) {
  auto pool = PhoneMediaPool::create(PhoneMediaPoolConfig{});
  ASSERT_TRUE(pool.is_ok());
  auto phone = pool.value()->add_phone("A");
  ASSERT_TRUE(phone.is_ok());
  EXPECT_EQ(phone.value()->configure("GSM", 3, 8000, std::nullopt).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(phone.value()->set_remote("localhost", 5000).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(phone.value()->set_remote("127.0.0.1", 0).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tutti::runner
