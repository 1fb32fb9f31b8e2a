// Issue 4, behaviour 1: the dial plan and the PIN prompt.
#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

const RoomSpec kOpen{.name = "open", .number = "3000", .pin = "", .moderator_pin = "",
                     .max_participants = 0, .moh = {}, .record = "", .owner = "",
                     .entry_tones = false};
const RoomSpec kPinned{.name = "pinned", .number = "3001", .pin = "4321", .moderator_pin = "9876",
                       .max_participants = 0, .moh = {}, .record = "", .owner = "",
                       .entry_tones = false};
const RoomSpec kSingle{.name = "single", .number = "3002", .pin = "", .moderator_pin = "",
                       .max_participants = 1, .moh = {}, .record = "", .owner = "",
                       .entry_tones = false};

class DialPlan : public ServeFixture {
 protected:
  void SetUp() override {
    ServeSpec spec;
    spec.rooms = {kOpen, kPinned, kSingle};
    start(spec);
  }
};

TEST_F(DialPlan, KnownNumberIsAnsweredAndJoins) {
  Caller* alice = join(kOpen, "alice");
  ASSERT_NE(alice, nullptr);
}

TEST_F(DialPlan, RightPinAdmitsAfterThePrompt) {
  Caller& alice = dial(kPinned.number, "alice");
  ASSERT_TRUE(await_answer(alice));
  EXPECT_TRUE(alice.media->wait_for_packets(5, 3s)) << "no prompt audio after the answer";
  EXPECT_FALSE(api().participant(kPinned.name, "alice").has_value() &&
               str_field(*api().participant(kPinned.name, "alice"), "state") == "active")
      << "admitted before entering the PIN";
  alice.media->send_digits("4321#");
  const auto p = active_in(kPinned.name, alice);
  ASSERT_TRUE(p);
  EXPECT_EQ(str_field(*p, "role"), "participant");
}

TEST_F(DialPlan, WrongPinPromptsAgainThenRightPinAdmits) {
  Caller& alice = dial(kPinned.number, "alice");
  ASSERT_TRUE(await_answer(alice));
  alice.media->send_digits("1111#");
  ASSERT_TRUE(alice.media->wait_digits_sent(5s));
  std::this_thread::sleep_for(1s);  // the prompt plays again
  EXPECT_FALSE(active_in(kPinned.name, alice, 200ms));
  alice.media->send_digits("4321#");
  EXPECT_TRUE(active_in(kPinned.name, alice));
  EXPECT_FALSE(alice.sipp->logged("hangup=server"));
}

TEST_F(DialPlan, WrongPinThreeTimesHangsUp) {
  Caller& alice = dial(kPinned.number, "alice", {{"hangup_ms", "15000"}});
  ASSERT_TRUE(await_answer(alice));
  for (int attempt = 0; attempt < 3; ++attempt) {
    alice.media->send_digits("1111#");
    ASSERT_TRUE(alice.media->wait_digits_sent(5s));
    std::this_thread::sleep_for(1s);
  }
  EXPECT_TRUE(hung_up_by_server(alice, 5s));
  EXPECT_EQ(alice.sipp->finish(5s), kSippAllCallsOk);
  EXPECT_FALSE(active_in(kPinned.name, alice, 100ms));
}

TEST_F(DialPlan, ModeratorPinAdmitsAsModerator) {
  Caller* mod = join(kPinned, "mona", "9876");
  ASSERT_NE(mod, nullptr);
  EXPECT_EQ(str_field(*active_in(kPinned.name, *mod), "role"), "moderator");
}

TEST_F(DialPlan, UnknownNumberIs404) {
  Caller& bob = dial("3999", "bob", {}, "uac_refused.xml");
  EXPECT_EQ(bob.sipp->finish(5s), kSippAllCallsOk);
  EXPECT_TRUE(bob.sipp->logged("refused=404"));
}

TEST_F(DialPlan, FullRoomPlaysAPromptThenRefusesWith486) {
  ASSERT_NE(join(kSingle, "alice"), nullptr);
  Caller& bob = dial(kSingle.number, "bob", {}, "uac_refused.xml");
  EXPECT_EQ(bob.sipp->finish(8s), kSippAllCallsOk);
  EXPECT_TRUE(bob.sipp->wait_for_log(std::regex("early media=\\d+"), 0ms)) << "no 183 with SDP";
  EXPECT_TRUE(bob.sipp->logged("refused=486"));
  EXPECT_GT(bob.media->packets_received(), 0u) << "no prompt sent as early media";
  EXPECT_FALSE(api().participant(kSingle.name, "bob"));
}

}  // namespace
}  // namespace tutti::e2e
