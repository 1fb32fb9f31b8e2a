// Issue 4: keys pressed by SIP INFO (application/dtmf-relay) act as the keypad does with RFC 4733
// events: `1` mutes self, and the PIN can be entered by INFO digits (docs/api.md, Keypad).
#include <gtest/gtest.h>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

constexpr double kAliceHz = 500.0;
constexpr double kBobHz = 700.0;

const RoomSpec kOpen{.name = "open",
                     .number = "3300",
                     .pin = "",
                     .moderator_pin = "",
                     .max_participants = 0,
                     .moh = {},
                     .record = "",
                     .owner = "",
                     .entry_tones = false};
const RoomSpec kPinned{.name = "pinned",
                       .number = "3301",
                       .pin = "4321",
                       .moderator_pin = "9876",
                       .max_participants = 0,
                       .moh = {},
                       .record = "",
                       .owner = "",
                       .entry_tones = false};

class InfoDtmf : public ServeFixture {
 protected:
  void SetUp() override {
    ServeSpec spec;
    spec.rooms = {kOpen, kPinned};
    start(spec);
  }
};

TEST_F(InfoDtmf, InfoKeyOneMutesSelf) {
  EventStream events(serve().http_port(), serve().token());
  ASSERT_TRUE(events.wait_connected(2s));
  Caller* alice = join(kOpen, "alice");
  ASSERT_NE(alice, nullptr);
  alice->media->play_tone(kAliceHz);
  // Bob presses 1 by INFO 3 s after his call is answered: time to join and be heard first.
  Caller* bob = join(kOpen, "bob", "",
                     {{"info_after_ms", "3000"}, {"info_digits", "1"}, {"hangup_ms", "15000"}},
                     "uac_info.xml");
  ASSERT_NE(bob, nullptr);
  bob->media->play_tone(kBobHz);
  ASSERT_TRUE(alice->media->wait_for_tone(kBobHz, -40.0, 2s)) << "alice never hears bob";
  EXPECT_FALSE(bool_field(api().participant(kOpen.name, "bob").value_or(Json()), "muted"));

  ASSERT_TRUE(bob->sipp->wait_for_log(std::regex("info digit=1"), 5s)) << "INFO 1 not answered 200";
  const auto muted = api().wait_for_participant(
      kOpen.name, "bob", [](const Json& p) { return bool_field(p, "muted"); }, 3s);
  EXPECT_TRUE(muted) << "key 1 by INFO did not mute bob";
  EXPECT_TRUE(alice->media->wait_for_quiet(kBobHz, -60.0, 2s)) << "bob still heard after mute";
  EXPECT_TRUE(bob->media->wait_for_tone(kAliceHz, -40.0, 2s)) << "a muted caller still hears";

  const auto is_bob = [](const Json& d) { return mentions(d, "bob"); };
  const auto dtmf = events.wait_for(
      "dtmf", [&](const Json& d) { return is_bob(d) && str_field(d, "digit") == "1"; }, 2s);
  EXPECT_TRUE(dtmf) << "no dtmf event with digit 1 for bob";
  EXPECT_TRUE(events.wait_for("muted", is_bob, 2s)) << "no muted event for bob";
}

TEST_F(InfoDtmf, PinEnteredByInfoAdmits) {
  // The prompt starts with the answer; the digits come 1 s later, 200 ms apart, with '#'.
  Caller& bob = dial(kPinned.number, "bob",
                     {{"info_after_ms", "1000"}, {"info_digits", "4321#"}, {"hangup_ms", "10000"}},
                     "uac_info.xml");
  ASSERT_TRUE(await_answer(bob));
  EXPECT_TRUE(bob.media->wait_for_packets(5, 3s)) << "no prompt audio after the answer";
  ASSERT_TRUE(bob.sipp->wait_for_log(std::regex("info done"), 5s)) << "the INFOs were not answered";
  const auto p = active_in(kPinned.name, bob, 3s);
  ASSERT_TRUE(p) << "the PIN by INFO did not admit bob";
  EXPECT_EQ(str_field(*p, "role"), "participant");
  EXPECT_FALSE(bob.sipp->logged("hangup=server"));
}

TEST_F(InfoDtmf, ModeratorPinByInfoWithoutHashAdmitsAsModerator) {
  Caller& mona = dial(kPinned.number, "mona",
                      {{"info_after_ms", "1000"}, {"info_digits", "9876"}, {"hangup_ms", "10000"}},
                      "uac_info.xml");
  ASSERT_TRUE(await_answer(mona));
  ASSERT_TRUE(mona.sipp->wait_for_log(std::regex("info done"), 5s));
  const auto p = active_in(kPinned.name, mona, 3s);
  ASSERT_TRUE(p) << "the exact moderator PIN by INFO did not admit mona";
  EXPECT_EQ(str_field(*p, "role"), "moderator");
}

TEST_F(InfoDtmf, WrongPinByInfoIsNotAdmitted) {
  Caller& eve = dial(kPinned.number, "eve",
                     {{"info_after_ms", "1000"}, {"info_digits", "1111#"}, {"hangup_ms", "10000"}},
                     "uac_info.xml");
  ASSERT_TRUE(await_answer(eve));
  ASSERT_TRUE(eve.sipp->wait_for_log(std::regex("info done"), 5s));
  EXPECT_FALSE(active_in(kPinned.name, eve, 1000ms)) << "a wrong PIN by INFO admitted eve";
  EXPECT_FALSE(eve.sipp->logged("hangup=server")) << "one wrong PIN must not hang up";
}

}  // namespace
}  // namespace tutti::e2e
