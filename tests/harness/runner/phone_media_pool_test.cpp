// The pool: ports, phones coming and going while the media thread runs, and the direction
// controls (hold, mute, symmetric RTP).
#include "tutti/runner/phone_media_pool.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "phone_media_test_support.h"
#include "tutti/runner/listen.h"

namespace tutti::runner {
namespace {

using test::CodecCase;
using test::PhonePair;

TEST(PhoneMediaPool, PortsAreEvenPairsAndRunningOutIsACleanError) {
  PhoneMediaPoolConfig config;
  config.port_low = 48901;  // rounded up to the even 48902
  config.port_high = 48905;
  auto pool = PhoneMediaPool::create(config);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  std::vector<std::shared_ptr<PhoneMedia>> phones;
  for (;;) {
    std::string name = "P";
    name += std::to_string(phones.size());
    auto phone = pool.value()->add_phone(name);
    if (!phone.is_ok()) {
      EXPECT_EQ(phone.status().code(), StatusCode::kResourceExhausted);
      break;
    }
    EXPECT_EQ(phone.value()->rtp_port() % 2, 0);
    EXPECT_GE(phone.value()->rtp_port(), 48902);
    EXPECT_LE(phone.value()->rtp_port() + 1, 48905);
    phones.push_back(phone.value());
    ASSERT_LE(phones.size(), 2u);
  }
  ASSERT_FALSE(phones.empty()) << "ports 48902-48905 all taken by something else";
  pool.value()->remove_phone(phones.front());
  auto again = pool.value()->add_phone("again");
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again.value()->rtp_port(), phones.front()->rtp_port());
}

TEST(PhoneMediaPool, BadConfigIsRefused) {
  PhoneMediaPoolConfig config;
  config.bind_address = "loopback";
  EXPECT_EQ(PhoneMediaPool::create(config).status().code(), StatusCode::kInvalidArgument);
  config.bind_address = "127.0.0.1";
  config.port_low = 48910;
  config.port_high = 48910;
  EXPECT_EQ(PhoneMediaPool::create(config).status().code(), StatusCode::kInvalidArgument);
}

TEST(PhoneMediaPool, StartTwiceIsAPreconditionError) {
  PhonePair pair(CodecCase{"PCMU", 0, 8000});
  pair.start();
  EXPECT_EQ(pair.pool->start(PhoneMediaPool::Clock::now()).code(), StatusCode::kFailedPrecondition);
  pair.pool->stop();
  pair.pool->stop();
  EXPECT_FALSE(pair.pool->running());
}

TEST(PhoneMediaPool, PhonesComeAndGoWhileTheOthersKeepTalking) {
  PhonePair pair(CodecCase{"PCMU", 0, 8000});
  ASSERT_TRUE(pair.a->set_source(AudioSourceSpec::tone(500, -20)).is_ok());
  pair.start();
  pair.a->start_sending();
  std::atomic<int> cycles{0};
  std::thread churn([&] {
    while (pair.pool->now_s() < 0.6) {
      auto c = pair.pool->add_phone("C");
      auto d = pair.pool->add_phone("D");
      if (!c.is_ok() || !d.is_ok()) continue;
      // C and D talk to each other and to A, then leave mid-stream.
      for (auto* phone : {c.value().get(), d.value().get()}) {
        ASSERT_TRUE(phone->configure("PCMU", 0, 8000, 101).is_ok());
        ASSERT_TRUE(phone->set_source(AudioSourceSpec::noise(-30)).is_ok());
        phone->start_sending();
      }
      ASSERT_TRUE(c.value()->set_remote("127.0.0.1", d.value()->rtp_port()).is_ok());
      ASSERT_TRUE(d.value()->set_remote("127.0.0.1", pair.a->rtp_port()).is_ok());
      std::this_thread::sleep_for(std::chrono::milliseconds(15 + cycles % 20));
      pair.pool->remove_phone(c.value());
      pair.pool->remove_phone(d.value());
      pair.pool->remove_phone(d.value());  // twice: ignored
      ++cycles;
    }
  });
  churn.join();
  pair.at(0.7);
  EXPECT_GT(cycles.load(), 5);
  EXPECT_EQ(pair.pool->phone_count(), 2);
  EXPECT_NEAR(tone_db(pair.b->heard(0.1, 0.65), 500, 8000), -20.0, 0.5);
  EXPECT_EQ(pair.b->stats().lost, 0);
}

TEST(PhoneMediaPool, RemovedPhoneKeepsWhatItHeard) {
  PhonePair pair(CodecCase{"PCMA", 8, 8000});
  ASSERT_TRUE(pair.a->set_source(AudioSourceSpec::tone(800, -20)).is_ok());
  pair.start();
  pair.a->start_sending();
  pair.at(0.4);
  pair.pool->remove_phone(pair.b);
  pair.at(0.5);
  EXPECT_NEAR(tone_db(pair.b->heard(0.1, 0.35), 800, 8000), -20.0, 0.5);
  EXPECT_FALSE(pair.b->received_any(0.42, 0.5));
}

TEST(PhoneMediaPool, HoldStopsSendingAndResumeStartsAgain) {
  PhonePair pair(CodecCase{"PCMU", 0, 8000});
  ASSERT_TRUE(pair.a->set_source(AudioSourceSpec::tone(500, -20)).is_ok());
  ASSERT_TRUE(pair.b->set_source(AudioSourceSpec::tone(1000, -20)).is_ok());
  pair.start();
  pair.a->start_sending();
  pair.b->start_sending();
  pair.at(0.3);
  pair.a->set_hold(true);
  EXPECT_FALSE(pair.a->is_sending());
  pair.at(0.6);
  pair.a->set_hold(false);
  pair.at(0.9);
  EXPECT_FALSE(pair.b->received_any(0.35, 0.6));
  EXPECT_TRUE(pair.b->received_any(0.6, 0.65));
  EXPECT_NEAR(tone_db(pair.b->heard(0.65, 0.85), 500, 8000), -20.0, 0.5);
  // On hold A still hears B.
  EXPECT_NEAR(tone_db(pair.a->heard(0.35, 0.6), 1000, 8000), -20.0, 0.5);
}

TEST(PhoneMediaPool, MutedPhoneSendsSilence) {
  PhonePair pair(CodecCase{"opus", 111, 48000});
  ASSERT_TRUE(pair.a->set_source(AudioSourceSpec::tone(500, -20)).is_ok());
  pair.start();
  pair.a->set_muted(true);
  pair.a->start_sending();
  pair.at(0.4);
  EXPECT_TRUE(pair.b->received_any(0.1, 0.4));
  EXPECT_TRUE(is_silent(pair.b->heard(0.1, 0.4)));
}

TEST(PhoneMediaPool, AnswersWhereTheFirstPacketCameFromAndIgnoresRtcp) {
  PhonePair pair(CodecCase{"PCMU", 0, 8000});
  auto lone = pair.pool->add_phone("no-remote");
  ASSERT_TRUE(lone.is_ok());
  PhoneMedia& c = *lone.value();
  ASSERT_TRUE(c.configure("PCMU", 0, 8000, 101).is_ok());
  ASSERT_TRUE(c.set_source(AudioSourceSpec::tone(1200, -20)).is_ok());
  ASSERT_TRUE(pair.a->set_remote("127.0.0.1", c.rtp_port()).is_ok());
  ASSERT_TRUE(pair.a->set_source(AudioSourceSpec::tone(500, -20)).is_ok());
  pair.start();
  c.start_sending();  // nowhere to send until A's first packet arrives
  pair.at(0.2);
  pair.a->start_sending();

  // Junk on C's RTCP port and on its RTP port: counted, nothing else.
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const uint8_t junk[] = {0x81, 0xc8, 0x00, 0x01, 1, 2, 3, 4};
  to.sin_port = htons(static_cast<uint16_t>(c.rtp_port() + 1));
  sendto(fd, junk, sizeof(junk), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  to.sin_port = htons(c.rtp_port());
  sendto(fd, junk, 3, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  close(fd);

  pair.at(0.6);
  EXPECT_FALSE(pair.a->received_any(0.0, 0.2));
  EXPECT_NEAR(tone_db(pair.a->heard(0.3, 0.55), 1200, 8000), -20.0, 0.5);
  EXPECT_EQ(c.stats().rtcp_in, 1u);
  EXPECT_EQ(c.stats().malformed, 1u);
  EXPECT_NEAR(tone_db(c.heard(0.3, 0.55), 500, 8000), -20.0, 0.5);
}

TEST(PhoneMediaPool, SpeechLikeNoiseArrivesWithItsLevelChanges) {
  PhonePair pair(CodecCase{"G722", 9, 8000});
  ASSERT_TRUE(pair.a->set_source(AudioSourceSpec::noise(-20, 5)).is_ok());
  pair.start();
  pair.a->start_sending();
  pair.at(1.2);
  const std::vector<int16_t> pcm = pair.b->heard(0.1, 1.1);
  std::vector<double> levels;
  const std::size_t window = 1600;  // 100 ms at 16 kHz
  for (std::size_t i = 0; i + window <= pcm.size(); i += window) {
    levels.push_back(rms_dbfs(std::span<const int16_t>(pcm).subspan(i, window)));
  }
  const auto [quiet, loud] = std::minmax_element(levels.begin(), levels.end());
  EXPECT_GT(*loud - *quiet, 10.0);
  EXPECT_GT(*loud, -35.0);
}

}  // namespace
}  // namespace tutti::runner
