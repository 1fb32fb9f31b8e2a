// Every expectation of the scenario format parses to the values written.
#include <gtest/gtest.h>

#include "scenario_test_support.h"

namespace tutti::scenario {
namespace {

using testing::kCalls;
using testing::kHead;
using testing::parse_ok;

template <typename T>
const T& expect_at(const Scenario& s, std::size_t index) {
  EXPECT_LT(index, s.expect.size());
  EXPECT_TRUE(std::holds_alternative<T>(s.expect.at(index).what)) << "expectation " << index;
  static const T kEmpty{};
  const T* what = std::get_if<T>(&s.expect.at(index).what);
  return what != nullptr ? *what : kEmpty;
}

const std::vector<std::string> kAliceBob = {"alice", "bob"};

TEST(ScenarioExpect, EveryExpectationParsesToItsModel) {
  const Scenario s = parse_ok(kHead + kCalls + R"(expect:
  - {who: alice, hears: [bob], from: 1, to: 3}
  - {who: alice, not_hears: [alice, carol], from: 1, to: 3}
  - {who: alice, hears_music: true, from: 0.5, to: 2}
  - {who: alice, hears_music: false, from: 3, to: 4}
  - {who: alice, silence: true, from: 7, to: 8}
  - {who: bob, hung_up: true, by: server}
  - {who: alice, hung_up: false, from: 0, to: 5}
  - {who: carol, refused: 486}
  - {roster: {at: 5, room: board, active: [alice, bob], muted: [bob], listen_only: [], on_hold: [alice]}}
  - {events: {room: board, in_order: ["joined alice", "joined bob", locked, "left alice"]}}
  - {recording: {room: board, min_seconds: 4, tones: [500, 700]}}
)");
  ASSERT_EQ(s.expect.size(), 11u);
  EXPECT_EQ(s.expect[0].where.line, 13);

  const Hears& hears = expect_at<Hears>(s, 0);
  EXPECT_EQ(hears.who, "alice");
  EXPECT_EQ(hears.sources, std::vector<std::string>{"bob"});
  EXPECT_EQ(hears.window.from_s, 1.0);
  EXPECT_EQ(hears.window.to_s, 3.0);

  const NotHears& not_hears = expect_at<NotHears>(s, 1);
  EXPECT_EQ(not_hears.sources, (std::vector<std::string>{"alice", "carol"}));

  EXPECT_TRUE(expect_at<HearsMusic>(s, 2).music);
  EXPECT_EQ(expect_at<HearsMusic>(s, 2).window.from_s, 0.5);
  EXPECT_FALSE(expect_at<HearsMusic>(s, 3).music);
  EXPECT_TRUE(expect_at<HearsSilence>(s, 4).silent);
  EXPECT_EQ(expect_at<HearsSilence>(s, 4).window.to_s, 8.0);

  const HungUp& hung_up = expect_at<HungUp>(s, 5);
  EXPECT_EQ(hung_up.who, "bob");
  EXPECT_TRUE(hung_up.hung_up);
  EXPECT_EQ(hung_up.by, Party::kServer);
  EXPECT_FALSE(hung_up.window.has_value());
  const HungUp& still_up = expect_at<HungUp>(s, 6);
  EXPECT_FALSE(still_up.hung_up);
  ASSERT_TRUE(still_up.window.has_value());
  EXPECT_EQ(still_up.window->to_s, 5.0);

  EXPECT_EQ(expect_at<Refused>(s, 7).who, "carol");
  EXPECT_EQ(expect_at<Refused>(s, 7).status, 486);

  const Roster& roster = expect_at<Roster>(s, 8);
  EXPECT_EQ(roster.at_s, 5.0);
  EXPECT_EQ(roster.room, "board");
  EXPECT_EQ(roster.active, kAliceBob);
  EXPECT_EQ(roster.muted, std::vector<std::string>{"bob"});
  ASSERT_TRUE(roster.listen_only.has_value());
  EXPECT_TRUE(roster.listen_only->empty());
  EXPECT_EQ(roster.on_hold, std::vector<std::string>{"alice"});

  const Events& events = expect_at<Events>(s, 9);
  EXPECT_EQ(events.room, "board");
  ASSERT_EQ(events.in_order.size(), 4u);
  EXPECT_EQ(events.in_order[0].type, "joined");
  EXPECT_EQ(events.in_order[0].who, "alice");
  EXPECT_EQ(events.in_order[2].type, "locked");
  EXPECT_TRUE(events.in_order[2].who.empty());
  EXPECT_EQ(events.in_order[3].type, "left");

  const Recording& recording = expect_at<Recording>(s, 10);
  EXPECT_EQ(recording.room, "board");
  EXPECT_EQ(recording.min_seconds, 4.0);
  EXPECT_EQ(recording.tones_hz, (std::vector<double>{500, 700}));

  EXPECT_EQ(s.duration_s, 10.0);  // the latest time named (8) + 2
}

TEST(ScenarioExpect, HearsTakesOneNameOrAList) {
  const Scenario s = parse_ok(kHead + kCalls + R"(expect:
  - {who: alice, hears: bob, from: 1, to: 3}
  - {who: carol, hears: [alice, bob], from: 1, to: 3}
  - {who: bob, hung_up: true, by: any, from: 2, to: 4}
)");
  EXPECT_EQ(expect_at<Hears>(s, 0).sources, std::vector<std::string>{"bob"});
  EXPECT_EQ(expect_at<Hears>(s, 1).sources, kAliceBob);
  EXPECT_EQ(expect_at<HungUp>(s, 2).by, Party::kAny);
}

TEST(ScenarioExpect, RosterMayBeEmptyAndStateListsAreOptional) {
  const Scenario s =
      parse_ok(kHead + kCalls + "expect:\n  - {roster: {at: 1, room: board, active: []}}\n");
  const Roster& roster = expect_at<Roster>(s, 0);
  EXPECT_TRUE(roster.active.empty());
  EXPECT_FALSE(roster.muted.has_value());
  EXPECT_FALSE(roster.on_hold.has_value());
}

}  // namespace
}  // namespace tutti::scenario
