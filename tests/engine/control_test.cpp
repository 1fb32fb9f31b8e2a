// The control plane: configuration refusals, membership, events, matrix routing.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "conference.h"

namespace tutti::test {
namespace {

std::vector<Event> drain(Engine& engine) {
  std::vector<Event> all(256);
  all.resize(engine.poll_events(all));
  return all;
}

bool has_event(const std::vector<Event>& events, EventType type, ParticipantId p) {
  for (const Event& e : events) {
    if (e.type == type && e.participant == p) return true;
  }
  return false;
}

TEST(ConfigTest, InvalidEngineConfigIsRefusedWithTheFieldNamed) {
  struct Case {
    EngineConfig config;
    const char* field;
  };
  std::vector<Case> cases;
  EngineConfig c;
  c.sample_rate_hz = 44100;
  cases.push_back({c, "sample_rate_hz"});
  c = {};
  c.tick_ms = 15;
  cases.push_back({c, "tick_ms"});
  c = {};
  c.threads = -1;
  cases.push_back({c, "threads"});
  c = {};
  c.realtime_priority = 100;
  cases.push_back({c, "realtime_priority"});
  c = {};
  c.max_participants = 0;
  cases.push_back({c, "max_participants"});
  c = {};
  c.output_ring_frames = 100;
  cases.push_back({c, "output_ring_frames"});
  for (const Case& k : cases) {
    auto engine = Engine::create(k.config);
    ASSERT_FALSE(engine);
    EXPECT_EQ(engine.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(engine.status().message().find(k.field), std::string::npos)
        << engine.status().message();
  }
}

TEST(ConfigTest, PoolAndRoomLimitsRefuseJoinsWithoutDisturbingTheRoom) {
  EngineConfig ec;
  ec.max_participants = 3;
  RoomConfig rc;
  rc.max_participants = 2;
  Conference conf(ec, rc, {{440.0}, {700.0}});
  auto third = conf.engine().add_participant(conf.room(), {});
  ASSERT_FALSE(third);
  EXPECT_EQ(third.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(third.status().message().find("full"), std::string::npos);

  auto other_room = conf.engine().create_room(rc);
  ASSERT_TRUE(other_room);
  ASSERT_TRUE(conf.engine().add_participant(*other_room, {}));
  auto fourth = conf.engine().add_participant(*other_room, {});
  ASSERT_FALSE(fourth);
  EXPECT_NE(fourth.status().message().find("pool"), std::string::npos);

  conf.run(10);  // the running conference still mixes both ways
  EXPECT_GT(tone_level_db(conf.tail(0, conf.frame()), 700.0, conf.rate()), -16.0);
  EXPECT_GT(tone_level_db(conf.tail(1, conf.frame()), 440.0, conf.rate()), -16.0);
}

TEST(ConfigTest, UnknownIdsAndWrongRoutingAreRefused) {
  Conference conf({}, {}, {{440.0}, {700.0}});
  EXPECT_EQ(conf.engine().set_muted(ParticipantId{999}, true).code(), StatusCode::kNotFound);
  EXPECT_EQ(conf.engine().end_room(RoomId{999}).code(), StatusCode::kNotFound);
  EXPECT_EQ(conf.engine().add_participant(RoomId{999}, {}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(conf.engine().set_gain_in_db(conf.link(0).id(), NAN).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(conf.engine().set_route_gain(conf.link(0).id(), conf.link(1).id(), 0.0f).code(),
            StatusCode::kFailedPrecondition);
  RoomConfig bad;
  bad.max_speakers = 0;
  EXPECT_EQ(conf.engine().create_room(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST(ConfigTest, HostTicksAreIgnoredWhileTheEngineClockRuns) {
  Conference conf({}, {}, {{440.0}});
  ASSERT_TRUE(conf.engine().start());
  EXPECT_EQ(conf.engine().start().code(), StatusCode::kFailedPrecondition);
  for (int i = 0; i < 1000; ++i) conf.engine().tick();  // would be 1000 ticks if not ignored
  conf.engine().stop();
  EXPECT_LT(conf.engine().stats().ticks, 100u);
  const uint64_t before = conf.engine().stats().ticks;
  conf.engine().tick();  // after stop() the host ticks again
  EXPECT_EQ(conf.engine().stats().ticks, before + 1);
}

TEST(EventsTest, JoinTalkMuteKickAndEndRaiseEventsInOrder) {
  Conference conf({}, {}, {{440.0}, {0.0}});
  conf.run(2);
  auto events = drain(conf.engine());
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events[0].type, EventType::kRoomCreated);
  EXPECT_TRUE(has_event(events, EventType::kJoined, conf.link(0).id()));
  EXPECT_TRUE(has_event(events, EventType::kJoined, conf.link(1).id()));
  EXPECT_TRUE(has_event(events, EventType::kTalkingStarted, conf.link(0).id()));
  EXPECT_FALSE(has_event(events, EventType::kTalkingStarted, conf.link(1).id()));

  ASSERT_TRUE(conf.engine().set_muted(conf.link(0).id(), true));
  conf.run(1);
  events = drain(conf.engine());
  EXPECT_TRUE(has_event(events, EventType::kMuted, conf.link(0).id()));
  EXPECT_TRUE(has_event(events, EventType::kTalkingStopped, conf.link(0).id()));

  ASSERT_TRUE(conf.engine().kick(conf.link(1).id()));
  conf.run(1);
  events = drain(conf.engine());
  ASSERT_TRUE(has_event(events, EventType::kLeft, conf.link(1).id()));
  for (const Event& e : events) {
    if (e.type == EventType::kLeft) {
      EXPECT_EQ(e.value, 1.0f) << "kicked";
    }
  }
  EXPECT_EQ(conf.engine().set_muted(conf.link(1).id(), false).code(), StatusCode::kNotFound);

  ASSERT_TRUE(conf.engine().end_room(conf.room()));
  conf.run(1);
  events = drain(conf.engine());
  EXPECT_TRUE(has_event(events, EventType::kLeft, conf.link(0).id()));
  EXPECT_EQ(events.back().type, EventType::kRoomEnded);
  EXPECT_EQ(conf.engine().stats().participants, 0u);
  // The host's link outlives the participant and fails softly.
  std::vector<int16_t> pcm(conf.frame());
  conf.run(2);
  EXPECT_EQ(conf.link(0).try_pull_output(pcm), 0u);
}

TEST(EventsTest, TalkingStopsOnlyAfterTheHangover) {
  RoomConfig rc;
  rc.talk_hangover_ms = 200;
  Conference conf({}, rc, {{440.0}, {0.0}});
  conf.run(3);
  drain(conf.engine());
  ASSERT_TRUE(conf.engine().set_gain_in_db(conf.link(0).id(), -96.0f));  // now far below "off"
  conf.run(10);                                                          // 200 ms
  auto events = drain(conf.engine());
  EXPECT_FALSE(has_event(events, EventType::kTalkingStopped, conf.link(0).id()));
  conf.run(3);
  events = drain(conf.engine());
  EXPECT_TRUE(has_event(events, EventType::kTalkingStopped, conf.link(0).id()));
}

// With G = 1 - I a matrix room hears exactly what the mix-minus fast path hears.
TEST(MatrixTest, EqualsFastPathWhenGainsAreOneMinusIdentity) {
  const std::vector<Voice> voices = {{440.0, 0.2}, {700.0, 0.2}, {1100.0, 0.2}, {0.0}};
  RoomConfig fast;
  fast.max_speakers = 8;
  RoomConfig matrix = fast;
  matrix.routing = RoutingMode::kMatrix;
  matrix.max_participants = 16;
  Conference a({}, fast, voices);
  Conference b({}, matrix, voices);
  a.run(20);
  b.run(20);
  for (std::size_t i = 0; i < voices.size(); ++i) {
    ASSERT_EQ(a.heard(i).size(), b.heard(i).size());
    for (std::size_t s = 0; s < a.heard(i).size(); ++s) {
      ASSERT_LE(std::abs(a.heard(i)[s] - b.heard(i)[s]), 1) << "participant " << i << " @" << s;
    }
  }
}

// Whisper: the coach (0) is heard by the agent (1) only, not by the customer (2).
TEST(MatrixTest, WhisperReachesOnlyItsTarget) {
  RoomConfig rc;
  rc.routing = RoutingMode::kMatrix;
  rc.max_participants = 16;
  Conference conf({}, rc, {{440.0}, {700.0}, {1100.0}});
  const ParticipantId coach = conf.link(0).id(), customer = conf.link(2).id();
  ASSERT_TRUE(conf.engine().set_route_gain(coach, customer, 0.0f));
  conf.run(10);
  const auto agent_heard = conf.tail(1, conf.frame() * 4);
  const auto customer_heard = conf.tail(2, conf.frame() * 4);
  EXPECT_GT(tone_level_db(agent_heard, 440.0, conf.rate()), -14.0);
  EXPECT_LT(tone_level_db(customer_heard, 440.0, conf.rate()), -80.0);
  EXPECT_GT(tone_level_db(customer_heard, 700.0, conf.rate()), -14.0);
  EXPECT_GT(tone_level_db(conf.tail(0, conf.frame() * 4), 1100.0, conf.rate()), -14.0);
}

}  // namespace
}  // namespace tutti::test
