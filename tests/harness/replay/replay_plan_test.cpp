// A capture becomes a scenario: participants, codecs, numbers, step times, digits and hangups
// as captured; bad input is reported and skipped.
#include <gtest/gtest.h>

#include <fstream>

#include "replay_captures.h"
#include "tutti/codecs/audio_file.h"
#include "tutti/replay/replay.h"
#include "tutti/runner/listen.h"

namespace tutti::replay {
namespace {

using testing::kAliceHz;
using testing::kBobHz;

struct Planned {
  testing::TwoCallers calls = testing::two_callers();
  capture::Capture capture;
  ReplayPlan plan;
};

Planned plan_two_callers(const std::string& name, ReplayOptions options = {}) {
  Planned p;
  const auto dir = testing::test_dir(name);
  testing::write_two_callers(dir / "two.pcap", p.calls);
  auto capture = capture::read_capture((dir / "two.pcap").string());
  EXPECT_TRUE(capture) << capture.status().message();
  p.capture = capture.value();
  options.work_dir = (dir / "work").string();
  auto plan = plan_replay(p.capture, (dir / "two.pcap").string(), options);
  EXPECT_TRUE(plan) << plan.status().message();
  if (plan) p.plan = plan.value();
  return p;
}

// The steps of one participant, as "at do detail".
std::vector<std::pair<double, std::string>> steps_of(const scenario::Scenario& s,
                                                     const std::string& who) {
  std::vector<std::pair<double, std::string>> out;
  for (const scenario::Step& step : s.timeline) {
    std::visit(
        [&](const auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, scenario::Call>) {
            if (a.who == who) out.emplace_back(step.at_s, "call " + a.number);
          } else if constexpr (std::is_same_v<A, scenario::Send>) {
            if (a.who == who) out.emplace_back(step.at_s, "send");
          } else if constexpr (std::is_same_v<A, scenario::Dtmf>) {
            if (a.who == who) out.emplace_back(step.at_s, "dtmf " + a.digits);
          } else if constexpr (std::is_same_v<A, scenario::Hangup>) {
            if (a.who == who) out.emplace_back(step.at_s, "hangup");
          }
        },
        step.action);
  }
  return out;
}

TEST(ReplayPlan, EachCallerBecomesAParticipantWithItsCodec) {
  const Planned p = plan_two_callers("participants");
  ASSERT_EQ(p.plan.scenario.participants.size(), 2u);
  EXPECT_EQ(p.plan.scenario.participants[0].name, "alice");
  EXPECT_EQ(p.plan.scenario.participants[1].name, "bob-smith");
  for (const scenario::Participant& participant : p.plan.scenario.participants) {
    EXPECT_EQ(participant.codec, scenario::Codec::kPcmu);
    EXPECT_EQ(participant.rate_hz, 8000);
    ASSERT_TRUE(std::holds_alternative<scenario::WavFile>(participant.audio.source));
    EXPECT_TRUE(std::filesystem::exists(std::get<scenario::WavFile>(participant.audio.source).path));
  }
  EXPECT_TRUE(p.plan.skipped.empty());
}

TEST(ReplayPlan, StepsKeepTheCapturedTimes) {
  const Planned p = plan_two_callers("steps");
  const double t0 = p.calls.alice.invite_time;
  const auto alice = steps_of(p.plan.scenario, "alice");
  ASSERT_EQ(alice.size(), 3u);
  EXPECT_EQ(alice[0].second, "call 1000");
  EXPECT_NEAR(alice[0].first, 0.0, 1e-6);
  EXPECT_EQ(alice[1].second, "send");
  EXPECT_NEAR(alice[1].first, p.calls.alice.answer_time() - t0, 1e-6);
  EXPECT_EQ(alice[2].second, "hangup");
  EXPECT_NEAR(alice[2].first, p.calls.alice.bye_time() - t0, 1e-6);

  const auto bob = steps_of(p.plan.scenario, "bob-smith");
  ASSERT_EQ(bob.size(), 6u);
  EXPECT_EQ(bob[0].second, "call 1000");
  EXPECT_NEAR(bob[0].first, 0.5, 1e-6);
  EXPECT_NEAR(bob[1].first, p.calls.bob.answer_time() - t0, 1e-6);
  const std::string digits = "12#";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    EXPECT_EQ(bob[2 + i].second, std::string("dtmf ") + digits[i]);
    EXPECT_NEAR(bob[2 + i].first, p.calls.bob.digit_time(i) - t0, 1e-6);
  }
  EXPECT_EQ(bob[5].second, "hangup");
  EXPECT_NEAR(bob[5].first, p.calls.bob.bye_time() - t0, 1e-6);

  for (std::size_t i = 1; i < p.plan.scenario.timeline.size(); ++i) {
    EXPECT_LE(p.plan.scenario.timeline[i - 1].at_s, p.plan.scenario.timeline[i].at_s);
  }
  EXPECT_GT(p.plan.scenario.duration_s, p.calls.alice.bye_time() - t0);
}

TEST(ReplayPlan, OneEmbeddedRoomPerDialledNumber) {
  const Planned p = plan_two_callers("rooms");
  const auto* server = std::get_if<scenario::EmbeddedServer>(&p.plan.scenario.server);
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(server->config.rooms.size(), 1u);
  EXPECT_EQ(server->config.rooms[0].name, "room-1000");
  EXPECT_EQ(server->config.rooms[0].number, "1000");
  EXPECT_FALSE(server->config.rooms[0].pin.has_value());
  EXPECT_TRUE(server->config.rooms[0].moh.empty());
}

TEST(ReplayPlan, CapturedStreamsAreReported) {
  const Planned p = plan_two_callers("summaries");
  ASSERT_EQ(p.plan.calls.size(), 2u);
  const ReplayedCall& bob = p.plan.calls[1];
  EXPECT_EQ(bob.digits, "12#");
  EXPECT_EQ(bob.sent.packets, p.calls.bob.sent_packets());
  EXPECT_EQ(bob.sent.digits, "12#");
  EXPECT_EQ(bob.received.packets, static_cast<std::size_t>(p.calls.bob.frames));
  EXPECT_EQ(bob.codec, "PCMU");
  EXPECT_EQ(bob.audio_packets, static_cast<std::size_t>(p.calls.bob.frames - 9));
}

TEST(ReplayPlan, CallerAudioIsTheDecodedToneOnItsTimeline) {
  const Planned p = plan_two_callers("audio");
  for (const ReplayedCall& call : p.plan.calls) {
    const double hz = call.participant == "alice" ? kAliceHz : kBobHz;
    auto pcm = codecs::import_audio_file_int16(call.audio_path, 8000);
    ASSERT_TRUE(pcm);
    const std::vector<int16_t>& x = pcm.value();
    // Media starts 20 ms after the answer: silence first, then the tone at -20 dB.
    EXPECT_TRUE(runner::is_silent(std::span<const int16_t>(x.data(), 120)));
    const std::span<const int16_t> middle(x.data() + 8000, 8000);
    EXPECT_NEAR(runner::tone_db(middle, hz, 8000), -20.0, 1.0);
    EXPECT_LT(runner::tone_db(middle, hz == kAliceHz ? kBobHz : kAliceHz, 8000), -45.0);
  }
}

TEST(ReplayPlan, SpeedScalesTheTimelineOnly) {
  ReplayOptions options;
  options.speed = 2.0;
  const Planned p = plan_two_callers("speed", options);
  const auto bob = steps_of(p.plan.scenario, "bob-smith");
  ASSERT_EQ(bob.size(), 6u);
  EXPECT_NEAR(bob[0].first, 0.25, 1e-6);
  EXPECT_NEAR(bob[5].first, (p.calls.bob.bye_time() - p.calls.alice.invite_time) / 2, 1e-6);
}

TEST(ReplayPlan, LoopPlaysTheCaptureAgainAfterItEnds) {
  ReplayOptions options;
  options.loops = 2;
  const Planned p = plan_two_callers("loop", options);
  ASSERT_EQ(p.plan.scenario.participants.size(), 4u);
  EXPECT_EQ(p.plan.calls[2].participant, "alice-2");
  EXPECT_EQ(p.plan.calls[2].pass, 2);
  const double first_end = std::max(p.plan.calls[0].hangup_at_s, p.plan.calls[1].hangup_at_s);
  EXPECT_GT(p.plan.calls[2].call_at_s, first_end);
  EXPECT_NEAR(p.plan.calls[3].call_at_s - p.plan.calls[2].call_at_s, 0.5, 1e-6);
}

TEST(ReplayPlan, RoomOptionDialsOneNumber) {
  ReplayOptions options;
  options.room = "4242";
  const Planned p = plan_two_callers("room", options);
  for (const ReplayedCall& call : p.plan.calls) {
    EXPECT_EQ(call.number, "4242");
    EXPECT_EQ(call.captured_number, "1000");
  }
  const auto& server = std::get<scenario::EmbeddedServer>(p.plan.scenario.server);
  ASSERT_EQ(server.config.rooms.size(), 1u);
  EXPECT_EQ(server.config.rooms[0].name, "room-4242");
}

TEST(ReplayPlan, TargetReplacesTheEmbeddedServer) {
  ReplayOptions options;
  options.target = "127.0.0.1:5070";
  const Planned p = plan_two_callers("target", options);
  const auto* target = std::get_if<scenario::TargetServer>(&p.plan.scenario.server);
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->sip.port, 5070);
}

TEST(ReplayPlanBadInput, CallsThatCannotBeReplayedAreSkippedWithTheReason) {
  const Planned good = plan_two_callers("skips");
  capture::Capture capture = good.capture;
  capture::CapturedCall g729 = capture.calls[0];
  g729.call_id = "g729@test";
  g729.codec.name = "G729";
  capture::CapturedCall unanswered = capture.calls[0];
  unanswered.call_id = "busy@test";
  unanswered.answer_time = capture::kNotSeen;
  unanswered.final_status = 486;
  capture::CapturedCall no_sdp = capture.calls[0];
  no_sdp.call_id = "nosdp@test";
  no_sdp.offer.reset();
  capture.calls.push_back(g729);
  capture.calls.push_back(unanswered);
  capture.calls.push_back(no_sdp);
  ReplayOptions options;
  options.work_dir = (testing::test_dir("skips-work") / "work").string();
  auto plan = plan_replay(capture, "skips.pcap", options);
  ASSERT_TRUE(plan) << plan.status().message();
  EXPECT_EQ(plan->calls.size(), 2u);
  ASSERT_EQ(plan->skipped.size(), 3u);
  EXPECT_NE(plan->skipped[0].find("codec G729 cannot be replayed"), std::string::npos);
  EXPECT_NE(plan->skipped[1].find("not answered (486)"), std::string::npos);
  EXPECT_NE(plan->skipped[2].find("no SDP offer"), std::string::npos);

  capture.calls.erase(capture.calls.begin(), capture.calls.begin() + 2);
  auto none = plan_replay(capture, "skips.pcap", options);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(none.status().message().find("no call to replay"), std::string::npos);
}

TEST(ReplayPlanBadInput, ACaptureWithoutCallsHasNothingToReplay) {
  ReplayOptions options;
  options.work_dir = (testing::test_dir("empty") / "work").string();
  auto plan = plan_replay(capture::Capture{}, "empty.pcap", options);
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.status().message().find("no SIP dialog"), std::string::npos);
}

TEST(ReplayPlanBadInput, ATruncatedCaptureReplaysWhatItHoldsOrNothing) {
  const auto dir = testing::test_dir("truncated");
  testing::write_two_callers(dir / "two.pcap", testing::two_callers());
  std::string bytes(std::filesystem::file_size(dir / "two.pcap"), '\0');
  std::ifstream(dir / "two.pcap", std::ios::binary).read(bytes.data(),
                                                         static_cast<long>(bytes.size()));
  ReplayOptions options;
  options.work_dir = (dir / "work").string();
  for (std::size_t cut = 0; cut < bytes.size(); cut += bytes.size() / 37 + 1) {
    const auto path = dir / "cut.pcap";
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(),
                                                                  static_cast<long>(cut));
    auto capture = capture::read_capture(path.string());
    if (!capture) continue;  // cut inside the file header: not a capture
    auto plan = plan_replay(capture.value(), path.string(), options);
    if (plan) {
      EXPECT_FALSE(plan->calls.empty());
    } else {
      EXPECT_NE(plan.status().message().find("no call to replay"), std::string::npos);
    }
  }
}

TEST(ReplayPlanBadInput, BadOptionsAreRefused) {
  ReplayOptions options;
  options.work_dir = "/tmp/unused";
  options.speed = 0;
  EXPECT_FALSE(plan_replay(capture::Capture{}, "x.pcap", options));
  options.speed = 1;
  options.loops = 0;
  EXPECT_FALSE(plan_replay(capture::Capture{}, "x.pcap", options));
}

}  // namespace
}  // namespace tutti::replay
