// Issue 4, behaviour 6: the API dials out; the callee is listed as invited until it answers.
#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

constexpr double kAliceHz = 600.0;

class Invite : public ServeFixture {
 protected:
  RoomSpec room_{.name = "inv", .number = "3500", .pin = "", .moderator_pin = "",
                 .max_participants = 0, .moh = {}, .record = "", .owner = "",
                 .entry_tones = false};
  void SetUp() override {
    ServeSpec spec;
    spec.rooms = {room_};
    start(spec);
  }
};

TEST_F(Invite, InvitedUntilAnsweredThenActiveAndHearsTheRoom) {
  Caller* alice = join(room_, "alice");
  ASSERT_NE(alice, nullptr);
  alice->media->play_tone(kAliceHz);
  Caller& dave = phone("dave", {{"answer_ms", "2500"}, {"hangup_ms", "15000"}});

  Api http = api();
  const Reply reply =
      http.post("/api/rooms/" + room_.name + "/invite", {{"uri", phone_uri(dave)}, {"name", "Dave"}});
  ASSERT_EQ(reply.status, 202) << reply.text;
  ASSERT_TRUE(reply.body.contains("id")) << reply.text;
  EXPECT_EQ(str_field(reply.body, "state"), "invited");
  const Json id = reply.body["id"];

  ASSERT_TRUE(dave.sipp->wait_for_log(std::regex("offer media=\\d+"), 3s)) << "no INVITE";
  const auto ringing = http.participant(room_.name, "Dave");
  ASSERT_TRUE(ringing) << "an invited party is missing from the roster";
  EXPECT_EQ((*ringing)["id"], id);
  EXPECT_EQ(str_field(*ringing, "state"), "invited");

  ASSERT_TRUE(dave.sipp->wait_for_log(std::regex("answered"), 5s));
  const auto joined = http.wait_for_participant(
      room_.name, "Dave", [](const Json& p) { return str_field(p, "state") == "active"; }, 3s);
  ASSERT_TRUE(joined);
  EXPECT_EQ((*joined)["id"], id);
  EXPECT_TRUE(await_answer(dave));
  EXPECT_TRUE(dave.media->wait_for_tone(kAliceHz, -40.0, 3s));
}

TEST_F(Invite, InviteToAnUnknownRoomIs404) {
  const Reply reply = api().post("/api/rooms/nope/invite",
                                 {{"uri", "sip:x@127.0.0.1:9"}, {"name", "X"}});
  EXPECT_EQ(reply.status, 404) << reply.text;
  EXPECT_TRUE(reply.body.contains("error")) << reply.text;
}

}  // namespace
}  // namespace tutti::e2e
