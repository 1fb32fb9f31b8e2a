// Issue 4, behaviour 5: a call moved into a conference by REFER and by the API.
#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

constexpr double kAliceHz = 500.0;
constexpr double kCarolHz = 900.0;

class Transfer : public ServeFixture {
 protected:
  RoomSpec lobby_{.name = "lobby", .number = "3400", .pin = "", .moderator_pin = "",
                  .max_participants = 0, .moh = {}, .record = "", .owner = "",
                  .entry_tones = false};
  RoomSpec board_{.name = "board", .number = "3401", .pin = "", .moderator_pin = "",
                  .max_participants = 0, .moh = {}, .record = "", .owner = "",
                  .entry_tones = false};
  void SetUp() override {
    ServeSpec spec;
    spec.rooms = {lobby_, board_};
    start(spec);
  }
};

TEST_F(Transfer, ReferToARoomNumberMovesTheCallIntoThatRoom) {
  Caller* carol = join(board_, "carol");
  ASSERT_NE(carol, nullptr);
  carol->media->play_tone(kCarolHz);
  Caller* alice = join(lobby_, "alice", "",
                       {{"refer_after_ms", "1500"}, {"refer_to", board_.number},
                        {"hangup_ms", "6000"}},
                       "uac_refer.xml");
  ASSERT_NE(alice, nullptr);
  alice->media->play_tone(kAliceHz);
  const auto before = active_in(lobby_.name, *alice);
  ASSERT_TRUE(before);

  ASSERT_TRUE(alice->sipp->wait_for_log(std::regex("refer=(done|failed)"), 5s))
      << alice->sipp->log();
  EXPECT_TRUE(alice->sipp->logged("refer accepted"));
  EXPECT_TRUE(alice->sipp->logged("notify sipfrag=200"));
  const auto after = active_in(board_.name, *alice);
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)["id"], (*before)["id"]) << "the participant id changed with the move";
  EXPECT_TRUE(api().wait_until_absent(lobby_.name, "alice", 2s));
  EXPECT_TRUE(alice->media->wait_for_tone(kCarolHz, -40.0, 3s));
  EXPECT_TRUE(carol->media->wait_for_tone(kAliceHz, -40.0, 3s));
  EXPECT_FALSE(alice->sipp->logged("hangup=server"));
}

TEST_F(Transfer, ApiMovePutsAnExistingCallInAnotherRoom) {
  Caller* carol = join(board_, "carol");
  ASSERT_NE(carol, nullptr);
  carol->media->play_tone(kCarolHz);
  Caller* alice = join(lobby_, "alice");
  ASSERT_NE(alice, nullptr);
  alice->media->play_tone(kAliceHz);
  const auto before = active_in(lobby_.name, *alice);
  ASSERT_TRUE(before);

  Api http = api();
  const Reply calls = http.get("/api/calls");
  ASSERT_EQ(calls.status, 200) << calls.text;
  EXPECT_TRUE(mentions(calls.body, "alice")) << calls.text;
  const auto id = (*before)["id"].dump();
  const Reply moved = http.post("/api/calls/" + id + "/move", {{"room", board_.name}});
  EXPECT_GE(moved.status, 200) << moved.text;
  EXPECT_LT(moved.status, 300) << moved.text;
  const auto after = active_in(board_.name, *alice);
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)["id"], (*before)["id"]);
  EXPECT_TRUE(http.wait_until_absent(lobby_.name, "alice", 2s));
  EXPECT_TRUE(alice->media->wait_for_tone(kCarolHz, -40.0, 3s));
  EXPECT_TRUE(carol->media->wait_for_tone(kAliceHz, -40.0, 3s));

  EXPECT_EQ(http.post("/api/calls/" + id + "/move", {{"room", "no-such-room"}}).status, 404);
  EXPECT_EQ(http.post("/api/calls/999999/move", {{"room", board_.name}}).status, 404);
  EXPECT_EQ(http.post("/api/calls/" + id + "/move", Json::object()).status, 400);
}

}  // namespace
}  // namespace tutti::e2e
