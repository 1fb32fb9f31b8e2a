// RFC 4733 in the other direction: the API sends digits to one participant (a dialled-out IVR
// that wants an extension, say); other participants get none.
#include <gtest/gtest.h>

#include <thread>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

class DtmfOut : public ServeFixture {
 protected:
  RoomSpec room_{.name = "dtmf",
                 .number = "3900",
                 .pin = "",
                 .moderator_pin = "",
                 .max_participants = 0,
                 .moh = {},
                 .record = "",
                 .owner = "",
                 .entry_tones = false};
  void SetUp() override {
    ServeSpec spec;
    spec.rooms = {room_};
    start(spec);
  }
};

TEST_F(DtmfOut, ApiDigitsReachOnlyThatParticipantAsTelephoneEvents) {
  Caller* alice = join(room_, "alice");
  ASSERT_NE(alice, nullptr);
  Caller* bob = join(room_, "bob");
  ASSERT_NE(bob, nullptr);
  const auto entry = active_in(room_.name, *alice);
  ASSERT_TRUE(entry);
  const uint64_t id = (*entry)["id"].get<uint64_t>();
  const Reply reply = api().post("/api/rooms/dtmf/participants/" + std::to_string(id) + "/dtmf",
                                 Json{{"digits", "15#"}});
  ASSERT_EQ(reply.status, 200) << reply.text;
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (alice->media->digits_received() != "15#" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(alice->media->digits_received(), "15#");
  EXPECT_EQ(bob->media->digits_received(), "");
  // And alice's audio goes on after the digits.
  EXPECT_TRUE(alice->media->receiving(300ms));
}

TEST_F(DtmfOut, BadDigitsAndUnknownParticipantsAreRefused) {
  Caller* alice = join(room_, "alice");
  ASSERT_NE(alice, nullptr);
  const auto entry = active_in(room_.name, *alice);
  ASSERT_TRUE(entry);
  const std::string path =
      "/api/rooms/dtmf/participants/" + std::to_string((*entry)["id"].get<uint64_t>()) + "/dtmf";
  EXPECT_EQ(api().post(path, Json{{"digits", "12x"}}).status, 400);
  EXPECT_EQ(api().post(path, Json{{"digits", ""}}).status, 400);
  EXPECT_EQ(api().post(path, Json{{"digits", 12}}).status, 400);
  EXPECT_EQ(api().post("/api/rooms/dtmf/participants/999999/dtmf", Json{{"digits", "1"}}).status,
            404);
  EXPECT_EQ(api().post("/api/rooms/nope/participants/1/dtmf", Json{{"digits", "1"}}).status, 404);
}

}  // namespace
}  // namespace tutti::e2e
