// The media path as a phone hears it: codecs in and out, shared encodes, loss, silence.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "codec_conference.h"

namespace tutti::test {
namespace {

constexpr double kLevel = -14.0;  // 20 log10(0.2)

// Callers on four different codecs: each hears every other tone and not its own.
TEST(MediaTest, MixedCodecCallersHearEachOtherNeverThemselves) {
  const std::vector<Caller> callers = {
      {"PCMU", 440.0}, {"PCMA", 620.0}, {"G722", 1100.0}, {"opus", 1500.0}};
  RoomConfig rc;
  rc.max_speakers = 4;
  CodecConference conf({}, rc, callers);
  conf.run(50);
  for (std::size_t i = 0; i < callers.size(); ++i) {
    const auto heard = conf.tail(i, 400);
    for (std::size_t j = 0; j < callers.size(); ++j) {
      const double db = tone_level_db(heard, callers[j].freq_hz, conf.rate(i));
      if (i == j) {
        EXPECT_LT(db, kLevel - 40.0) << callers[i].codec << " hears itself";
      } else {
        EXPECT_NEAR(db, kLevel, 3.0) << callers[i].codec << " hearing " << callers[j].codec;
      }
    }
  }
}

// The figure: 1,000 Opus listeners and 3 Opus speakers cost 4 encodes a tick
// (1 shared + 3 own), and every listener's payload is the same bytes, which decode to S.
TEST(MediaTest, ThousandListenersAndThreeSpeakersCostFourOpusEncodes) {
  EngineConfig ec;
  ec.max_participants = 1100;
  RoomConfig rc;
  rc.max_participants = 1100;
  std::vector<Caller> callers = {{"opus", 440.0}, {"opus", 620.0}, {"opus", 1100.0}};
  for (int i = 0; i < 1000; ++i) callers.push_back({"opus", 0.0, 0.2, false});
  CodecConference conf(ec, rc, callers);
  conf.keep_payloads(true);
  conf.run(40);
  const auto stats = conf.engine().room_stats(conf.room());
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->encodes, 4u);
  EXPECT_EQ(stats->decodes, 3u);
  EXPECT_EQ(stats->encode_groups, 1u);
  for (std::size_t i = 4; i < callers.size(); ++i) {
    ASSERT_EQ(conf.payloads(i).back(), conf.payloads(3).back()) << "listener " << i;
  }
  const auto heard = conf.tail(3, 400);
  for (double f : {440.0, 620.0, 1100.0}) {
    EXPECT_NEAR(tone_level_db(heard, f, 48000), kLevel, 2.0) << f << " Hz in S";
  }
}

TEST(MediaTest, LostPacketsAreConcealedAndCounted) {
  CodecConference conf({}, {}, {{"opus", 440.0}, {"PCMU", 0.0, 0.2, false}});
  conf.run(20);
  std::vector<bool> drop = {true, false};
  conf.run(1, &drop);
  conf.run(5);
  conf.run(1, &drop);
  conf.run(20);
  const LinkCounters c = conf.link(0).counters();
  EXPECT_EQ(c.packets_lost, 2u);
  EXPECT_NEAR(tone_level_db(conf.tail(1, 200), 440.0, 8000), kLevel, 2.0);
}

TEST(MediaTest, MutedCallerIsNeverDecoded) {
  CodecConference conf({}, {}, {{"opus", 440.0}, {"opus", 620.0}});
  ASSERT_TRUE(conf.engine().set_muted(conf.link(0).id(), true));
  conf.run(30);
  EXPECT_GE(conf.link(0).counters().decodes_skipped, 29u);
  EXPECT_LT(tone_level_db(conf.tail(1, 200), 440.0, 48000), kLevel - 40.0);
  EXPECT_EQ(conf.engine().room_stats(conf.room())->decodes, 1u);
}

TEST(MediaTest, PacketsMarkedSilentByAudioLevelAreNotDecoded) {
  EngineConfig ec;
  auto engine = std::move(*Engine::create(ec));
  const RoomId room = *engine->create_room({});
  ParticipantConfig pc;
  pc.media.codec = "PCMU";
  auto link = *engine->add_participant(room, pc);
  std::vector<uint8_t> payload(160, 0xFF);
  for (uint16_t i = 0; i < 20; ++i) {
    RtpInput in;
    in.seq = i;
    in.timestamp = i * 160u;
    in.arrival_ms = i * 20;
    in.audio_level_dbov = 127;  // RFC 6464: silence
    in.payload = payload;
    ASSERT_TRUE(link.try_push_rtp(in));
    engine->tick();
  }
  EXPECT_GE(link.counters().decodes_skipped, 15u);
  EXPECT_EQ(engine->room_stats(room)->decodes, 0u);
}

TEST(MediaTest, GarbageAndOversizedPayloadsAreRefusedOrConcealedAndTheRoomKeepsMixing) {
  CodecConference conf({}, {}, {{"opus", 440.0}, {"opus", 620.0}});
  conf.run(10);
  std::vector<uint8_t> garbage(1500, 0xFF), huge(4000, 0);
  RtpInput bad;
  bad.seq = 9999;
  bad.payload = huge;
  EXPECT_FALSE(conf.link(0).try_push_rtp(bad));  // larger than any RTP payload we accept
  bad.payload = garbage;
  bad.ssrc = 1000;
  conf.link(0).try_push_rtp(bad);  // a stray packet from the same source: buffered or dropped
  conf.run(20);
  EXPECT_NEAR(tone_level_db(conf.tail(1, 200), 440.0, 48000), kLevel, 2.0);
  EXPECT_NEAR(tone_level_db(conf.tail(0, 200), 620.0, 48000), kLevel, 2.0);
  EXPECT_GE(conf.link(0).counters().input_dropped, 1u);
}

TEST(MediaTest, UnsupportedCodecIsRefusedWithWhatIsOffered) {
  auto engine = std::move(*Engine::create({}));
  const RoomId room = *engine->create_room({});
  ParticipantConfig pc;
  pc.media.codec = "GSM";
  auto link = engine->add_participant(room, pc);
  ASSERT_FALSE(link);
  EXPECT_EQ(link.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(link.status().message().find("PCMU"), std::string::npos) << link.status().message();
}

// A caller who starts and stops talking moves from its group's stream to its own and back;
// what its phone decodes (the other caller's tone) stays continuous across both switches.
TEST(MediaTest, SpeakerSwitchingStreamsIsSeamless) {
  CodecConference conf({}, {}, {{"opus", 1000.0, 0.2, false}, {"opus", 300.0}});
  conf.run(50);  // caller 0 only listens: it is on the group's stream
  conf.set_sending(0, true);
  conf.run(50);  // it talks: its own encoder takes over from the group's state
  EXPECT_EQ(conf.engine().room_stats(conf.room())->mixed, 2u);
  conf.set_sending(0, false);
  conf.run(80);  // silent again: after the hold it rejoins the group's stream
  const auto& heard = conf.heard(0);
  const std::size_t frame = 960;
  auto max_step = [&](std::size_t from_tick, std::size_t to_tick) {
    int step = 0;
    for (std::size_t i = from_tick * frame + 1; i < to_tick * frame; ++i) {
      step = std::max(step, std::abs(heard[i] - heard[i - 1]));
    }
    return step;
  };
  const int steady = max_step(20, 50);
  EXPECT_GT(steady, 100);  // the 300 Hz tone itself
  SCOPED_TRACE("steady max step " + std::to_string(steady));
  EXPECT_LT(max_step(48, 56), steady * 3 / 2) << "entering the mix";
  EXPECT_LT(max_step(123, 130), steady * 3 / 2) << "back to the group's stream";
  EXPECT_LT(max_step(98, 106), steady * 3 / 2) << "stopping talk";
  for (std::size_t t = 20; t + 5 <= 180; t += 5) {
    const auto window = std::span<const int16_t>(heard).subspan(t * frame, 5 * frame);
    EXPECT_NEAR(tone_level_db(window, 300.0, 48000), kLevel, 1.5) << "at tick " << t;
    EXPECT_LT(tone_level_db(window, 1000.0, 48000), kLevel - 30.0) << "own voice at " << t;
  }
}

// DTX is the engine's call, not libopus's: libopus's own DTX took a steady tone for background
// and, after about two seconds, sent only 1-byte frames (found by `tutti run`). A steady tone
// keeps full frames for 8 s; a silent room sends nothing at all.
TEST(MediaTest, OpusDtxNeverCutsASteadyToneAndSendsNothingForSilence) {
  CodecConference conf({}, {}, {{"PCMU", 500.0}, {"opus", 0.0, 0.2, false}});
  conf.keep_payloads(true);
  conf.run(400);
  const auto& payloads = conf.payloads(1);
  for (std::size_t t = 10; t < payloads.size(); ++t) {
    ASSERT_GT(payloads[t].size(), 2u) << "a DTX frame at tick " << t << " of a steady tone";
  }
  EXPECT_NEAR(tone_level_db(conf.tail(1, 2000), 500.0, 48000), kLevel, 1.5);

  CodecConference quiet({}, {}, {{"opus", 0.0, 0.2, false}, {"opus", 0.0, 0.2, false}});
  quiet.keep_payloads(true);
  quiet.run(50);
  for (const auto& payload : quiet.payloads(0)) EXPECT_EQ(payload.size(), 0u);
}

}  // namespace
}  // namespace tutti::test
