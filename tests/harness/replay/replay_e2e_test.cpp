// A capture of two callers replayed against the embedded server, over SIP and RTP on loopback:
// each replayed caller hears the other's tone and not its own, and bob's digits reach the room.
#include <gtest/gtest.h>

#include "replay_captures.h"
#include "tutti/codecs/audio_file.h"
#include "tutti/replay/replay.h"
#include "tutti/runner/listen.h"

namespace tutti::replay {
namespace {

TEST(ReplayEndToEnd, ReplayedCallersHearEachOtherAndTheirDigitsArrive) {
  const auto dir = testing::test_dir("e2e");
  testing::write_two_callers(dir / "two.pcap", testing::two_callers());
  auto capture = capture::read_capture((dir / "two.pcap").string());
  ASSERT_TRUE(capture) << capture.status().message();
  ReplayOptions options;
  options.work_dir = (dir / "work").string();
  auto plan = plan_replay(capture.value(), (dir / "two.pcap").string(), options);
  ASSERT_TRUE(plan) << plan.status().message();
  // The digits as the server saw them: its event stream.
  scenario::Events events;
  events.room = "room-1000";
  for (int i = 0; i < 3; ++i) events.in_order.push_back({"dtmf", "bob-smith"});
  plan->scenario.expect.push_back({events, {}});

  run::RunOptions run_options;
  run_options.out_dir = (dir / "heard").string();
  auto report = run_replay(std::move(plan.value()), run_options);
  ASSERT_TRUE(report) << report.status().message();
  for (const std::string& problem : report->run.problems) ADD_FAILURE() << problem;
  ASSERT_EQ(report->run.results.size(), 1u);
  EXPECT_TRUE(report->run.results[0].passed) << report->run.results[0].measured;

  // Both talk from about 0.6 s; bob keys his digits (1: mute) at about 3.1 s.
  const std::pair<std::string, std::pair<double, double>> heard[] = {
      {"alice", {testing::kBobHz, testing::kAliceHz}},
      {"bob-smith", {testing::kAliceHz, testing::kBobHz}}};
  for (const auto& [who, tones] : heard) {
    auto pcm = codecs::import_audio_file_int16((dir / "heard" / (who + ".wav")).string(), 8000);
    ASSERT_TRUE(pcm) << who;
    ASSERT_GT(pcm.value().size(), 8000u * 3);
    const std::span<const int16_t> window(pcm.value().data() + 8000, 8000 * 3 / 2);
    EXPECT_GE(runner::tone_db(window, tones.first, 8000), -40.0) << who << " hears the other";
    EXPECT_LT(runner::tone_db(window, tones.second, 8000), -45.0) << who << " hears itself";
  }
  for (std::size_t i = 0; i < report->plan.calls.size(); ++i) {
    EXPECT_GT(report->heard_rms_dbfs[i], -40.0) << report->plan.calls[i].participant;
  }
  std::ostringstream text;
  write_text_report(capture.value(), report.value(), text);
  EXPECT_NE(text.str().find("digits \"12#\""), std::string::npos) << text.str();
  EXPECT_NE(json_report(capture.value(), report.value()).find("\"heard_rms_dbfs\""),
            std::string::npos);
}

}  // namespace
}  // namespace tutti::replay
