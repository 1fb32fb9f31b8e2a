// Bad scenario files are refused before anything starts, every error with its place in the
// file ("FILE:LINE:COLUMN: key.path: message") and all errors in one go.
#include <gtest/gtest.h>

#include "scenario_test_support.h"

namespace tutti::scenario {
namespace {

using testing::errors_of;
using testing::expect_one_error;
using testing::kCalls;
using testing::kHead;

// kHead and kCalls fill lines 1..11; what is appended starts at line 12.
const std::string kValid = kHead + kCalls;

TEST(ScenarioErrors, UnknownKeysListTheAllowedOnes) {
  expect_one_error(kValid + "nmae: x\n", "test.yaml:12:1: nmae: unknown key (allowed: name,",
                   "participants, timeline, expect");
  expect_one_error(kValid + "  - {at: 1, do: send, who: alice, digits: \"1\"}\n",
                   "test.yaml:12:35: timeline[2].digits: unknown key", "(allowed: at, do, who)");
  expect_one_error(kHead + "  - {name: dave, codc: PCMA}\n" + kCalls,
                   "test.yaml:9:18: participants[3].codc: unknown key", "codec");
  expect_one_error(kValid + "expect:\n  - {who: alice, hears: [bob], from: 1, to: 2, form: 1}\n",
                   "test.yaml:13:48: expect[0].form: unknown key",
                   "(allowed: who, hears, from, to)");
  expect_one_error(kValid + "expect:\n  - {roster: {at: 1, room: board, active: [], mutd: []}}\n",
                   "test.yaml:13:47: expect[0].roster.mutd: unknown key", "muted");
  expect_one_error(kValid + "expect:\n  - {who: alice, heard: [bob]}\n",
                   "test.yaml:13:5: expect[0]:", "expected one of the keys hears, not_hears");
}

TEST(ScenarioErrors, UnknownActionListsTheActions) {
  expect_one_error(kValid + "  - {at: 1, do: shout, who: alice}\n",
                   "test.yaml:12:17: timeline[2].do:", "expected one of call, dtmf, send");
}

TEST(ScenarioErrors, ServeConfigRulesApplyUnderServer) {
  expect_one_error(R"(server:
  rooms:
    - {name: board, number: "2000", pin: "12a"}
participants: [{name: alice}]
timeline: [{at: 0, do: call, who: alice, number: "2000"}]
)",
                   "test.yaml:3:42: server.rooms[0].pin:", "digits only");
  expect_one_error(R"(server:
  sip: {listen: "127.0.0.1:5060"}
participants: [{name: alice}]
timeline: [{at: 0, do: call, who: alice, number: "2000"}]
)",
                   "test.yaml:2:3: server.sip: unknown key", "(allowed: engine, recording, rooms)");
}

TEST(ScenarioErrors, WrongTypesNameTheExpectedOne) {
  expect_one_error(kValid + "  - {at: soon, do: send, who: alice}\n",
                   "test.yaml:12:10: timeline[2].at:", "expected a number in 0..86400, got 'soon'");
  expect_one_error(kHead + "  - {name: dave, answer: yes}\n" + kCalls,
                   "test.yaml:9:26: participants[3].answer:", "expected true or false, got 'yes'");
  expect_one_error(kValid + "expect:\n  - {who: alice, hears: {bob: 1}, from: 1, to: 2}\n",
                   "test.yaml:13:25: expect[0].hears:", "expected a list of participant names");
  expect_one_error(kValid + "duration: [1]\n", "test.yaml:12:11: duration:", "expected a number");
  expect_one_error(kValid + "  - {at: 1, do: dtmf, who: alice, digits: 12x}\n",
                   "test.yaml:12:43: timeline[2].digits:", "expected DTMF digits");
}

TEST(ScenarioErrors, TimeOutOfOrderNamesThePreviousStep) {
  expect_one_error(
      kValid + "  - {at: 3, do: send, who: alice}\n  - {at: 2.5, do: stop, who: alice}\n",
      "test.yaml:13:10: timeline[3].at:", "at 2.5 comes before the previous step's 3 (line 12)");
}

TEST(ScenarioErrors, UnknownParticipantsInWhoTargetAndHears) {
  expect_one_error(kValid + "  - {at: 1, do: send, who: dave}\n",
                   "test.yaml:12:28: timeline[2].who:",
                   "unknown participant 'dave' (participants: alice, bob, carol)");
  expect_one_error(kValid + "  - {at: 1, do: moderator, action: kick, room: board, target: dave}\n",
                   "test.yaml:12:63: timeline[2].target:", "unknown participant 'dave'");
  expect_one_error(kValid + "expect:\n  - {who: alice, hears: [bob, dave], from: 1, to: 2}\n",
                   "test.yaml:13:31: expect[0].hears[1]:", "unknown participant 'dave'");
  expect_one_error(kValid + "expect:\n  - {events: {room: board, in_order: [\"joined dave\"]}}\n",
                   "test.yaml:13:39: expect[0].events.in_order[0]:", "unknown participant 'dave'");
}

TEST(ScenarioErrors, HearsNeedsToneParticipants) {
  const std::string yaml = kHead +
                           "  - {name: dave, audio: {noise: speech}, send_on_answer: true}\n" +
                           kCalls + "  - {at: 0, do: call, who: dave, number: \"2000\"}\n" +
                           "expect:\n  - {who: alice, hears: [dave], from: 1, to: 2}\n";
  expect_one_error(yaml, "test.yaml:15:26: expect[0].hears[0]:",
                   "dave's audio is not a tone: only tones can be told apart");
}

TEST(ScenarioErrors, HearsChecksWhatCanBeHeard) {
  expect_one_error(kValid + "expect:\n  - {who: alice, hears: [alice], from: 1, to: 2}\n",
                   "test.yaml:13:26: expect[0].hears[0]:", "never hears itself");
  // carol waits for an invite that never comes: it sends nothing.
  expect_one_error(kValid + "expect:\n  - {who: alice, hears: [carol], from: 1, to: 2}\n",
                   "test.yaml:13:26: expect[0].hears[0]:", "carol sends nothing by 1");
  expect_one_error(kHead + "  - {name: dave, audio: {tone: 1100}, send_on_answer: true}\n" +
                       "  - {name: erin, audio: {tone: 1300}, send_on_answer: true}\n" +
                       "  - {name: fay, audio: {tone: 1500}, send_on_answer: true}\n" + R"(timeline:
  - {at: 0, do: call, who: alice, number: "2000"}
  - {at: 0, do: call, who: bob, number: "2000"}
  - {at: 0, do: call, who: dave, number: "2000"}
  - {at: 0, do: call, who: erin, number: "2000"}
expect:
  - {who: fay, hears: [alice, bob, dave, erin], from: 1, to: 2}
)",
                   "test.yaml:18:23: expect[0].hears:", "mixes at most 3 talkers");
}

TEST(ScenarioErrors, DuplicateNamesPointAtTheFirst) {
  expect_one_error(kHead + "  - {name: bob}\n" + kCalls, "test.yaml:9:12: participants[3].name:",
                   "'bob' is already a participant (line 7)");
}

TEST(ScenarioErrors, TonesTooCloseOrOutsideTheBand) {
  expect_one_error(kHead + "  - {name: dave, audio: {tone: 540}}\n" + kCalls +
                       "  - {at: 0, do: call, who: dave, number: \"2000\"}\n",
                   "test.yaml:9:32: participants[3].audio.tone:",
                   "540 Hz is too close to 500 Hz of participants[0].audio.tone (line 6)");
  expect_one_error(kHead + "  - {name: dave, audio: {tone: 3600}}\n" + kCalls,
                   "test.yaml:9:32: participants[3].audio.tone:",
                   "tone 3600 Hz is outside 100..3400 Hz (narrowband");
  expect_one_error(kHead + "  - {name: dave, audio: {tone: 50}}\n" + kCalls,
                   "test.yaml:9:32: participants[3].audio.tone:", "outside 100..3400 Hz");
  expect_one_error(
      kValid + "expect:\n  - {recording: {room: board, min_seconds: 1, tones: [5000]}}\n",
      "test.yaml:13:55: expect[0].recording.tones[0]:", "outside 100..3400 Hz");
}

// Tones only need telling apart where they can meet: callers of different rooms may share one.
TEST(ScenarioErrors, CallersOfDifferentRoomsMayShareATone) {
  Result<Scenario> s =
      parse_scenario(R"(server: {rooms: [{name: a, number: "1"}, {name: b, number: "2"}]}
participants:
  - {name: alice, audio: {tone: 500}}
  - {name: bob, audio: {tone: 500}}
timeline:
  - {at: 0, do: call, who: alice, number: "1"}
  - {at: 0, do: call, who: bob, number: "2"}
)",
                     "test.yaml");
  EXPECT_TRUE(s.is_ok()) << s.status().message();
  Result<Scenario> met =
      parse_scenario(R"(server: {rooms: [{name: a, number: "1"}, {name: b, number: "2"}]}
participants:
  - {name: alice, audio: {tone: 500}}
  - {name: bob, audio: {tone: 500}}
timeline:
  - {at: 0, do: call, who: alice, number: "1"}
  - {at: 0, do: call, who: bob, number: "2"}
  - {at: 1, do: transfer, who: bob, number: "1"}
)",
                     "test.yaml");
  EXPECT_FALSE(met.is_ok()) << "bob meets alice after the transfer";
}

TEST(ScenarioErrors, WidebandScenariosAllowHigherTones) {
  Result<Scenario> s = parse_scenario(R"(server: {rooms: [{name: r, number: "1"}]}
participants:
  - {name: alice, codec: G722, audio: {tone: 5000}}
  - {name: bob, codec: opus, audio: {tone: 6000}}
timeline: [{at: 0, do: call, who: alice, number: "1"}]
)",
                                      "test.yaml");
  EXPECT_TRUE(s.is_ok()) << s.status().message();
}

TEST(ScenarioErrors, ExactlyOneOfServerAndTarget) {
  expect_one_error("target: \"127.0.0.1:5060\"\n" + kValid,
                   "test.yaml:1:1: target:", "give either server");
  expect_one_error("participants: [{name: alice}]\ntimeline: []\n",
                   "test.yaml:1:1: (top):", "missing server");
  expect_one_error("target: \"127.0.0.1:99999\"\nparticipants: [{name: alice}]\ntimeline: []\n",
                   "test.yaml:1:9: target:", "");
  expect_one_error(kValid + "api: \"127.0.0.1:8080\"\n",
                   "test.yaml:12:1: api:", "goes with target");
}

TEST(ScenarioErrors, ApiStepsNeedAnApiAgainstATarget) {
  expect_one_error(R"(target: "127.0.0.1:5060"
participants: [{name: alice}]
timeline:
  - {at: 0, do: moderator, action: lock, room: board}
)",
                   "test.yaml:4:5: timeline[0]:", "set `api`");
}

TEST(ScenarioErrors, MissingWavFile) {
  expect_one_error(kHead + "  - {name: dave, audio: {wav: no-such.wav}}\n" + kCalls,
                   "test.yaml:9:31: participants[3].audio.wav:", "no such file: no-such.wav");
}

TEST(ScenarioErrors, WindowsEndAfterTheyStart) {
  expect_one_error(kValid + "expect:\n  - {who: alice, hears: [bob], from: 3, to: 3}\n",
                   "test.yaml:13:45: expect[0].to:", "to (3) must come after from (3)");
  expect_one_error(
      kValid + "duration: 5\nexpect:\n  - {who: alice, silence: true, from: 3, to: 6}\n",
      "test.yaml:14:46: expect[0].to:", "after the end of the run (duration 5)");
  expect_one_error(kValid + "expect:\n  - {who: bob, hung_up: true, from: 3}\n",
                   "test.yaml:13:31: expect[0].from:", "give both from and to");
}

TEST(ScenarioErrors, StepsNeedACallFirst) {
  expect_one_error(kHead + "timeline:\n  - {at: 0, do: dtmf, who: alice, digits: \"1\"}\n",
                   "test.yaml:10:28: timeline[0].who:", "alice is in no call yet");
  expect_one_error(
      kValid + "  - {at: 1, do: moderator, action: invite, room: board, target: bob}\n",
      "test.yaml:12:65: timeline[2].target:", "give bob `answer: true`");
}

TEST(ScenarioErrors, RoomsMustExistAndRecord) {
  expect_one_error(
      kValid + "  - {at: 1, do: moderator, action: lock, room: bored}\n",
      "test.yaml:12:48: timeline[2].room:", "no room 'bored' in server.rooms (rooms: board)");
  const std::string no_record = R"(server: {rooms: [{name: r, number: "1"}]}
participants: [{name: alice}]
timeline:
  - {at: 0, do: call, who: alice, number: "1"}
  - {at: 1, do: moderator, action: record_start, room: r}
expect:
  - {recording: {room: r, min_seconds: 1}}
)";
  const std::vector<std::string> errors = errors_of(no_record);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("test.yaml:5:36: timeline[1].action: room 'r' has record: off"),
            std::string::npos)
      << errors[0];
  EXPECT_NE(errors[1].find("test.yaml:7:24: expect[0].recording.room:"), std::string::npos)
      << errors[1];
}

TEST(ScenarioErrors, EveryErrorIsReportedInFileOrder) {
  const std::vector<std::string> errors = errors_of(R"(name: many
server: {rooms: [{name: r, number: "1"}]}
participants:
  - {name: Alice, audio: {tone: 500}}
  - {name: bob, codec: GSM}
timeline:
  - {at: 2, do: call, who: bob, number: "1"}
  - {at: 1, do: send, who: bob}
expect:
  - {who: bob, silence: maybe, from: 1, to: 2}
)");
  ASSERT_EQ(errors.size(), 4u) << ::testing::PrintToString(errors);
  EXPECT_TRUE(errors[0].starts_with("test.yaml:4:12: participants[0].name: use")) << errors[0];
  EXPECT_TRUE(errors[1].starts_with("test.yaml:5:24: participants[1].codec: expected one of"))
      << errors[1];
  EXPECT_TRUE(errors[2].starts_with("test.yaml:8:10: timeline[1].at: at 1 comes before"))
      << errors[2];
  EXPECT_TRUE(errors[3].starts_with("test.yaml:10:25: expect[0].silence: expected true or false"))
      << errors[3];
}

TEST(ScenarioErrors, SyntaxErrorsAndMissingFiles) {
  expect_one_error("participants: [\n", "test.yaml:2:1: syntax:", "");
  Result<Scenario> missing = load_scenario("/no/such/scenario.yaml");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tutti::scenario
