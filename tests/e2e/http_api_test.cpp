// Control API errors, the API token, and the Server-Sent Events stream.
#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

constexpr char kToken[] = "e2e-token-0123456789abcdef";

RoomSpec room() {
  return RoomSpec{.name = "api", .number = "3800", .pin = "", .moderator_pin = "",
                  .max_participants = 0, .moh = {}, .record = "off", .owner = "",
                  .entry_tones = false};
}

class HttpApi : public ServeFixture {
 protected:
  void SetUp() override {
    ServeSpec spec;
    spec.rooms = {room()};
    start(spec);
  }
};

void expect_json_error(const Reply& reply, int status) {
  EXPECT_EQ(reply.status, status) << reply.text;
  EXPECT_TRUE(reply.body.is_object() && reply.body.contains("error")) << reply.text;
}

TEST_F(HttpApi, UnknownRoomOrParticipantIs404WithAnError) {
  Api http = api();
  expect_json_error(http.get("/api/rooms/nope"), 404);
  expect_json_error(http.post("/api/rooms/nope/lock"), 404);
  expect_json_error(http.post("/api/rooms/api/participants/999999/mute"), 404);
  expect_json_error(http.post("/api/rooms/api/participants/999999/kick"), 404);
}

TEST_F(HttpApi, BadBodyIs400) {
  Api http = api();
  expect_json_error(http.post_text("/api/rooms/api/invite", "{not json", "application/json"), 400);
  expect_json_error(http.post("/api/rooms/api/invite", {{"name", "no uri"}}), 400);
  expect_json_error(http.post("/api/rooms/api/invite", {{"uri", 42}}), 400);
}

// A room configured with record: off may not be recorded: 403 (forbidden), not 409 (which is for
// "not now", such as a locked or full room).
TEST_F(HttpApi, RecordingARoomThatDoesNotRecordIsRefused) {
  const Reply reply = api().post("/api/rooms/api/recording/start");
  EXPECT_EQ(reply.status, 403) << reply.text;
  EXPECT_TRUE(reply.body.is_object() && reply.body.contains("error")) << reply.text;
}

TEST_F(HttpApi, EventStreamShowsJoinedTalkingMutedAndLeft) {
  EventStream events(serve().http_port(), serve().token());
  ASSERT_TRUE(events.wait_connected(3s));
  const RoomSpec r = room();
  Caller* alice = join(r, "alice", "", {{"hangup_ms", "5000"}});
  ASSERT_NE(alice, nullptr);
  auto about_alice = [](const Json& d) { return mentions(d, "alice"); };
  EXPECT_TRUE(events.wait_for("joined", about_alice, 3s));
  alice->media->play_tone(500.0, 0.3);
  EXPECT_TRUE(events.wait_for("talking", about_alice, 3s));
  const auto p = api().participant(r.name, "alice");
  ASSERT_TRUE(p);
  api().post("/api/rooms/api/participants/" + (*p)["id"].dump() + "/mute");
  EXPECT_TRUE(events.wait_for("muted", nullptr, 3s));
  EXPECT_TRUE(events.wait_for("left", about_alice, 8s));
}

class HttpApiWithToken : public ServeFixture {
 protected:
  void SetUp() override {
    ServeSpec spec;
    spec.rooms = {room()};
    spec.api_token = kToken;
    start(spec);
  }
};

TEST_F(HttpApiWithToken, RequestsWithoutTheTokenAre401) {
  EXPECT_EQ(api().get_without_token("/api/rooms").status, 401);
  EXPECT_EQ(api_with_token("wrong-token-0123456789").get("/api/rooms").status, 401);
  EXPECT_EQ(api_with_token("wrong-token-0123456789").post("/api/rooms/api/lock").status, 401);
  EXPECT_EQ(api().get("/api/rooms").status, 200);
}

TEST_F(HttpApiWithToken, EventStreamNeedsTheToken) {
  EventStream anonymous(serve().http_port(), "");
  EXPECT_FALSE(anonymous.wait_connected(2s));
  EventStream with_token(serve().http_port(), kToken);
  EXPECT_TRUE(with_token.wait_connected(2s));
}

}  // namespace
}  // namespace tutti::e2e
