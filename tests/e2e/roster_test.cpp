// Issue 4, behaviour 8: the roster's fields.
#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

class Roster : public ServeFixture {
 protected:
  RoomSpec room_{.name = "roster", .number = "3700", .pin = "", .moderator_pin = "",
                 .max_participants = 0, .moh = {}, .record = "", .owner = "olivia",
                 .entry_tones = false};
  RoomSpec other_{.name = "other", .number = "3701", .pin = "", .moderator_pin = "",
                  .max_participants = 0, .moh = {}, .record = "", .owner = "",
                  .entry_tones = false};
  void SetUp() override {
    ServeSpec spec;
    spec.rooms = {room_, other_};
    start(spec);
  }
};

TEST_F(Roster, ListsEveryFieldOfAnActiveParticipant) {
  Caller* alice = join(room_, "alice");
  ASSERT_NE(alice, nullptr);
  const auto p = active_in(room_.name, *alice);
  ASSERT_TRUE(p);
  for (const char* key : {"id", "name", "uri", "role", "state", "muted", "listen_only", "on_hold",
                          "talking", "joined_at", "seconds"})
    EXPECT_TRUE(p->contains(key)) << "missing " << key << " in " << p->dump();
  EXPECT_EQ(str_field(*p, "name"), "alice");
  EXPECT_EQ(str_field(*p, "uri").rfind("sip:alice@", 0), 0u) << p->dump();
  EXPECT_EQ(str_field(*p, "role"), "participant");
  EXPECT_FALSE(bool_field(*p, "muted"));
  EXPECT_FALSE(bool_field(*p, "listen_only"));
  EXPECT_FALSE(bool_field(*p, "on_hold"));
  EXPECT_TRUE((*p)["seconds"].is_number());
  const double first = (*p)["seconds"].get<double>();
  std::this_thread::sleep_for(2100ms);
  const auto later = api().participant(room_.name, "alice");
  ASSERT_TRUE(later);
  EXPECT_GE((*later)["seconds"].get<double>(), first + 1.0);
  EXPECT_EQ((*later)["joined_at"], (*p)["joined_at"]);
}

TEST_F(Roster, TalkingFollowsTheCallersAudio) {
  Caller* alice = join(room_, "alice");
  ASSERT_NE(alice, nullptr);
  Api http = api();
  auto talking = [&](bool want) {
    return http.wait_for_participant(room_.name, "alice",
                                     [&](const Json& p) { return bool_field(p, "talking") == want; },
                                     3s).has_value();
  };
  EXPECT_TRUE(talking(false));
  alice->media->play_tone(500.0, 0.3);
  EXPECT_TRUE(talking(true));
  alice->media->play_tone(0.0);
  EXPECT_TRUE(talking(false));
}

TEST_F(Roster, OwnerIsListedWithTheOwnerRole) {
  Caller* owner = join(room_, "olivia");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(str_field(*active_in(room_.name, *owner), "role"), "owner");
}

TEST_F(Roster, RoomsListHoldsEveryConfiguredRoom) {
  const Reply reply = api().get("/api/rooms");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_TRUE(mentions(reply.body, "\"roster\"")) << reply.text;
  EXPECT_TRUE(mentions(reply.body, "\"other\"")) << reply.text;
}

TEST_F(Roster, LeavingRemovesTheParticipant) {
  Caller* alice = join(room_, "alice", "", {{"hangup_ms", "1000"}});
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->sipp->finish(5s), kSippAllCallsOk);
  EXPECT_TRUE(api().wait_until_absent(room_.name, "alice", 2s));
}

}  // namespace
}  // namespace tutti::e2e
