// The scenario model: the server under test, participants, and every timeline action parse to
// the values written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scenario_test_support.h"

namespace tutti::scenario {
namespace {

using testing::kCalls;
using testing::kHead;
using testing::parse_ok;

template <typename T>
const T& action_at(const Scenario& s, std::size_t index) {
  EXPECT_LT(index, s.timeline.size());
  EXPECT_TRUE(std::holds_alternative<T>(s.timeline.at(index).action)) << "step " << index;
  static const T kEmpty{};
  const T* action = std::get_if<T>(&s.timeline.at(index).action);
  return action != nullptr ? *action : kEmpty;
}

TEST(ScenarioServer, EmbeddedServerReadsTheServeConfigSections) {
  const Scenario s = parse_ok(kHead + "  - {name: dave}\n" + kCalls);
  ASSERT_TRUE(std::holds_alternative<EmbeddedServer>(s.server));
  const config::ServeConfig& config = std::get<EmbeddedServer>(s.server).config;
  ASSERT_EQ(config.rooms.size(), 1u);
  EXPECT_EQ(config.rooms[0].name, "board");
  EXPECT_EQ(config.rooms[0].number, "2000");
  EXPECT_EQ(config.rooms[0].pin, "1234");
  EXPECT_EQ(config.rooms[0].moh, "moh.wav");
  EXPECT_EQ(config.rooms[0].record, RecordMode::kOnDemand);
  EXPECT_EQ(s.name, "test");
  EXPECT_EQ(s.source, "test.yaml");
}

TEST(ScenarioServer, TargetWithApiAndToken) {
  const Scenario s = parse_ok(R"(target: "127.0.0.1:5080"
api: "127.0.0.1:8081"
api_token: "secret-token-0123456789"
participants: [{name: alice}]
timeline: [{at: 0, do: call, who: alice, number: "1111"}]
)");
  ASSERT_TRUE(std::holds_alternative<TargetServer>(s.server));
  const TargetServer& t = std::get<TargetServer>(s.server);
  EXPECT_EQ(t.sip, (config::Endpoint{"127.0.0.1", 5080}));
  ASSERT_TRUE(t.api.has_value());
  EXPECT_EQ(*t.api, (config::Endpoint{"127.0.0.1", 8081}));
  EXPECT_EQ(t.api_token, "secret-token-0123456789");
  EXPECT_EQ(s.name, "test");  // the file's stem when no name is given
}

TEST(ScenarioParticipants, DefaultsAndCodecRates) {
  const Scenario s = parse_ok(kHead + R"(  - {name: dave}
  - {name: erin, codec: G722, ptime_ms: 40, audio: {noise: pink, level_dbfs: -30}}
  - {name: frank, codec: opus, audio: silence}
  - {name: gina, codec: opus, rate_hz: 16000, audio: {noise: speech}}
  - {name: hal, codec: PCMA}
)" + kCalls);
  const Participant* dave = s.find_participant("dave");
  ASSERT_NE(dave, nullptr);
  EXPECT_EQ(dave->codec, Codec::kPcmu);
  EXPECT_EQ(dave->rate_hz, 8000);
  EXPECT_EQ(dave->ptime_ms, 20);
  EXPECT_TRUE(std::holds_alternative<Silence>(dave->audio.source));
  EXPECT_EQ(dave->audio.level_dbfs, -20.0);
  EXPECT_FALSE(dave->send_on_answer);
  EXPECT_FALSE(dave->answer);
  EXPECT_EQ(dave->where.line, 9);
  const Participant* erin = s.find_participant("erin");
  ASSERT_NE(erin, nullptr);
  EXPECT_EQ(erin->rate_hz, 16000);
  EXPECT_EQ(erin->ptime_ms, 40);
  EXPECT_EQ(std::get<Noise>(erin->audio.source).kind, NoiseKind::kPink);
  EXPECT_EQ(erin->audio.level_dbfs, -30.0);
  EXPECT_EQ(s.find_participant("frank")->rate_hz, 48000);
  EXPECT_EQ(s.find_participant("gina")->rate_hz, 16000);
  EXPECT_EQ(std::get<Noise>(s.find_participant("gina")->audio.source).kind, NoiseKind::kSpeech);
  EXPECT_EQ(s.find_participant("hal")->codec, Codec::kPcma);
  EXPECT_EQ(codec_name(Codec::kOpus), "opus");
  const Participant* alice = s.find_participant("alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(std::get<Tone>(alice->audio.source).frequency_hz, 500.0);
  EXPECT_TRUE(alice->send_on_answer);
  EXPECT_TRUE(s.find_participant("carol")->answer);
  EXPECT_EQ(s.find_participant("nobody"), nullptr);
}

TEST(ScenarioParticipants, WavIsResolvedAgainstTheScenarioDirectory) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "tutti_scenario_wav";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "voice.wav") << "RIFF";
  const std::string yaml = kHead + "  - {name: dave, audio: {wav: voice.wav}}\n" + kCalls;
  Result<Scenario> s = parse_scenario(yaml, (dir / "s.yaml").string());
  ASSERT_TRUE(s.is_ok()) << s.status().message();
  const Participant* dave = s->find_participant("dave");
  ASSERT_NE(dave, nullptr);
  EXPECT_EQ(std::get<WavFile>(dave->audio.source).path, (dir / "voice.wav").string());
  std::filesystem::remove_all(dir);
}

TEST(ScenarioParticipants, AudioFilesAreGeneratedAndMayBeNamedAsWav) {
  const Scenario s = parse_ok(R"(server:
  rooms: [{name: board, number: "2000", moh: music.wav}]
audio_files:
  - {path: music.wav, seconds: 20, tone: 300, level_dbfs: -25}
  - {path: voice.wav, noise: speech}
participants:
  - {name: alice, audio: {wav: voice.wav}}
timeline: [{at: 0, do: call, who: alice, number: "2000"}]
)");
  ASSERT_EQ(s.audio_files.size(), 2u);
  EXPECT_EQ(s.audio_files[0].path, "music.wav");
  EXPECT_EQ(s.audio_files[0].seconds, 20.0);
  EXPECT_EQ(std::get<Tone>(s.audio_files[0].audio.source).frequency_hz, 300.0);
  EXPECT_EQ(s.audio_files[0].audio.level_dbfs, -25.0);
  EXPECT_EQ(s.audio_files[1].seconds, 30.0);
  EXPECT_EQ(s.audio_files[1].where.line, 5);
  EXPECT_EQ(std::get<WavFile>(s.participants[0].audio.source).path, "voice.wav");
}

TEST(ScenarioTimeline, EveryActionParsesToItsModel) {
  const Scenario s = parse_ok(kHead + R"(timeline:
  - {at: 0, do: call, who: alice, number: "2000"}
  - {at: 0, do: call, who: bob, number: "2000"}
  - {at: 1.5, do: dtmf, who: alice, digits: "1234#"}
  - {at: 1.5, do: dtmf, who: bob, digits: "*5", method: info}
  - {at: 2, do: send, who: alice}
  - {at: 3, do: stop, who: alice}
  - {at: 4, do: mute, who: alice}
  - {at: 4.5, do: unmute, who: alice}
  - {at: 5, do: listen_only, who: bob}
  - {at: 5.5, do: listen_only_off, who: bob}
  - {at: 6, do: hold, who: alice}
  - {at: 6.5, do: resume, who: alice}
  - {at: 6.5, do: hold, who: bob, mode: recvonly}
  - {at: 7, do: transfer, who: bob, number: "1001"}
  - {at: 8, do: moderator, action: invite, room: board, target: carol}
  - {at: 8, do: wait, event: joined, who: carol, room: board, timeout: 5}
  - {at: 9, do: moderator, action: kick, room: board, target: carol}
  - {at: 9, do: wait, event: locked}
  - {at: 10, do: hangup, who: alice}
)");
  ASSERT_EQ(s.timeline.size(), 19u);
  EXPECT_EQ(action_at<Call>(s, 0).who, "alice");
  EXPECT_EQ(action_at<Call>(s, 0).number, "2000");
  EXPECT_EQ(s.timeline[0].where.line, 10);
  EXPECT_EQ(s.timeline[2].at_s, 1.5);
  EXPECT_EQ(action_at<Dtmf>(s, 2).digits, "1234#");
  EXPECT_EQ(action_at<Dtmf>(s, 2).method, DtmfMethod::kRfc4733);
  EXPECT_EQ(action_at<Dtmf>(s, 3).digits, "*5");
  EXPECT_EQ(action_at<Dtmf>(s, 3).method, DtmfMethod::kInfo);
  EXPECT_EQ(action_at<Send>(s, 4).who, "alice");
  EXPECT_EQ(action_at<Stop>(s, 5).who, "alice");
  EXPECT_EQ(action_at<Mute>(s, 6).who, "alice");
  EXPECT_EQ(action_at<Unmute>(s, 7).who, "alice");
  EXPECT_EQ(action_at<ListenOnly>(s, 8).who, "bob");
  EXPECT_EQ(action_at<ListenOnlyOff>(s, 9).who, "bob");
  EXPECT_EQ(action_at<Hold>(s, 10).who, "alice");
  EXPECT_EQ(action_at<Hold>(s, 10).mode, HoldMode::kSendonly);
  EXPECT_EQ(action_at<Resume>(s, 11).who, "alice");
  EXPECT_EQ(action_at<Hold>(s, 12).mode, HoldMode::kRecvonly);
  EXPECT_EQ(action_at<Transfer>(s, 13).number, "1001");
  EXPECT_EQ(action_at<Moderator>(s, 14).verb, ModeratorVerb::kInvite);
  EXPECT_EQ(action_at<Moderator>(s, 14).room, "board");
  EXPECT_EQ(action_at<Moderator>(s, 14).target, "carol");
  EXPECT_EQ(action_at<Wait>(s, 15).event, "joined");
  EXPECT_EQ(action_at<Wait>(s, 15).who, "carol");
  EXPECT_EQ(action_at<Wait>(s, 15).room, "board");
  EXPECT_EQ(action_at<Wait>(s, 15).timeout_s, 5.0);
  EXPECT_EQ(action_at<Moderator>(s, 16).verb, ModeratorVerb::kKick);
  EXPECT_EQ(action_at<Wait>(s, 17).event, "locked");
  EXPECT_TRUE(action_at<Wait>(s, 17).room.empty());
  EXPECT_EQ(action_at<Wait>(s, 17).timeout_s, 10.0);
  EXPECT_EQ(action_at<Hangup>(s, 18).who, "alice");
  EXPECT_EQ(s.duration_s, 12.0);  // last `at` + 2
}

TEST(ScenarioTimeline, EveryModeratorVerbParses) {
  const std::pair<const char*, ModeratorVerb> verbs[] = {
      {"mute", ModeratorVerb::kMute},
      {"unmute", ModeratorVerb::kUnmute},
      {"kick", ModeratorVerb::kKick},
      {"lock", ModeratorVerb::kLock},
      {"unlock", ModeratorVerb::kUnlock},
      {"end", ModeratorVerb::kEnd},
      {"record_start", ModeratorVerb::kRecordStart},
      {"record_stop", ModeratorVerb::kRecordStop},
  };
  for (const auto& [word, verb] : verbs) {
    const bool targeted = verb == ModeratorVerb::kMute || verb == ModeratorVerb::kUnmute ||
                          verb == ModeratorVerb::kKick;
    std::string step = "  - {at: 1, do: moderator, action: " + std::string(word) + ", room: board";
    step += targeted ? ", target: bob}\n" : "}\n";
    const Scenario s = parse_ok(kHead + kCalls + step);
    ASSERT_EQ(s.timeline.size(), 3u) << word;
    EXPECT_EQ(action_at<Moderator>(s, 2).verb, verb) << word;
    EXPECT_EQ(moderator_verb_name(verb), word);
    EXPECT_EQ(action_at<Moderator>(s, 2).target, targeted ? "bob" : "") << word;
  }
}

TEST(ScenarioTimeline, DurationAsWrittenAndSeed) {
  const Scenario s = parse_ok(kHead + kCalls + "duration: 30\nseed: 7\n");
  EXPECT_EQ(s.duration_s, 30.0);
  EXPECT_EQ(s.seed, 7u);
  EXPECT_TRUE(s.expect.empty());
}

}  // namespace
}  // namespace tutti::scenario
