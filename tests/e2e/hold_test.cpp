// Issue 4, behaviour 4: hold (re-INVITE sendonly/recvonly/inactive) and resume.
#include <gtest/gtest.h>

#include <thread>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

constexpr double kMohHz = 300.0;
constexpr double kAliceHz = 500.0;
constexpr double kBobHz = 700.0;

class Hold : public ServeFixture {
 protected:
  RoomSpec room_{.name = "hold", .number = "3300", .pin = "", .moderator_pin = "",
                 .max_participants = 0, .moh = {}, .record = "", .owner = "",
                 .entry_tones = false};
  void SetUp() override {
    room_.moh = dir() / "moh300.wav";
    write_tone_wav(room_.moh, kMohHz, 10.0);
    ServeSpec spec;
    spec.rooms = {room_};
    start(spec);
  }
  bool on_hold(const std::string& who, bool held) {
    return api()
        .wait_for_participant(room_.name, who,
                              [&](const Json& p) { return bool_field(p, "on_hold") == held; }, 5s)
        .has_value();
  }
};

// A phone that puts the conference on hold sends a=sendonly: the server answers recvonly
// (RFC 3264), stops mixing the phone (its own hold music must not reach the room) and sends it
// nothing; resume restores both ways.
TEST_F(Hold, SendonlyHoldIsNotMixedAndGetsNoAudioThenResumeRestoresBothWays) {
  Caller* bob = join(room_, "bob");
  ASSERT_NE(bob, nullptr);
  bob->media->play_tone(kBobHz);
  Caller* alice = join(room_, "alice", "",
                       {{"hold_after_ms", "3000"}, {"hold_dir", "sendonly"},
                        {"hold_ms", "4000"}, {"hangup_ms", "5000"}},
                       "uac_hold.xml");
  ASSERT_NE(alice, nullptr);
  alice->media->play_tone(kAliceHz);
  ASSERT_TRUE(bob->media->wait_for_tone(kAliceHz, -40.0, 2s));
  ASSERT_TRUE(alice->media->wait_for_tone(kBobHz, -40.0, 2s));

  ASSERT_TRUE(alice->sipp->wait_for_log(std::regex("hold answer="), 5s));
  EXPECT_TRUE(alice->sipp->logged("hold answer=recvonly")) << alice->sipp->log();
  EXPECT_TRUE(on_hold("alice", true));
  // Alice keeps sending (sendonly), but she is not mixed: bob stops hearing her.
  EXPECT_TRUE(bob->media->wait_for_quiet(kAliceHz, -60.0, 2s))
      << "bob hears held alice at " << bob->media->level_db(kAliceHz);
  // And the server sends her nothing while she does not receive.
  std::this_thread::sleep_for(300ms);
  const std::size_t before = alice->media->packets_received();
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(alice->media->packets_received(), before) << "audio sent to a sendonly phone";

  ASSERT_TRUE(alice->sipp->wait_for_log(std::regex("resume answer="), 6s));
  EXPECT_TRUE(alice->sipp->logged("resume answer=sendrecv"));
  EXPECT_TRUE(on_hold("alice", false));
  EXPECT_TRUE(bob->media->wait_for_tone(kAliceHz, -40.0, 2s));
  EXPECT_TRUE(alice->media->wait_for_tone(kBobHz, -40.0, 2s));
  EXPECT_EQ(alice->sipp->finish(8s), kSippAllCallsOk);
}

// A phone that only listens (a=recvonly) is on hold in the conference sense: not mixed, and it
// hears the room's music instead of the room.
TEST_F(Hold, RecvonlyHoldIsNotMixedAndHearsMusic) {
  Caller* bob = join(room_, "bob");
  ASSERT_NE(bob, nullptr);
  bob->media->play_tone(kBobHz);
  Caller* alice = join(room_, "alice", "",
                       {{"hold_after_ms", "2500"}, {"hold_dir", "recvonly"},
                        {"hold_ms", "4000"}, {"hangup_ms", "5000"}},
                       "uac_hold.xml");
  ASSERT_NE(alice, nullptr);
  alice->media->play_tone(kAliceHz);
  ASSERT_TRUE(alice->media->wait_for_tone(kBobHz, -40.0, 2s));
  ASSERT_TRUE(alice->sipp->wait_for_log(std::regex("hold answer="), 5s));
  EXPECT_TRUE(alice->sipp->logged("hold answer=sendonly")) << alice->sipp->log();
  EXPECT_TRUE(on_hold("alice", true));
  EXPECT_TRUE(bob->media->wait_for_quiet(kAliceHz, -60.0, 2s));
  EXPECT_TRUE(alice->media->wait_for_tone(kMohHz, -40.0, 2s))
      << "held alice hears no music: " << alice->media->level_db(kMohHz);
  EXPECT_LT(alice->media->level_db(kBobHz), alice->media->level_db(kMohHz) - 20.0);
  ASSERT_TRUE(alice->sipp->wait_for_log(std::regex("resume answer="), 6s));
  EXPECT_TRUE(on_hold("alice", false));
  EXPECT_TRUE(alice->media->wait_for_tone(kBobHz, -40.0, 2s));
}

TEST_F(Hold, InactiveHoldIsNotMixedUntilResumed) {
  Caller* bob = join(room_, "bob");
  ASSERT_NE(bob, nullptr);
  bob->media->play_tone(kBobHz);
  Caller* alice = join(room_, "alice", "",
                       {{"hold_after_ms", "2500"}, {"hold_dir", "inactive"},
                        {"hold_ms", "3000"}, {"hangup_ms", "5000"}},
                       "uac_hold.xml");
  ASSERT_NE(alice, nullptr);
  alice->media->play_tone(kAliceHz);
  ASSERT_TRUE(bob->media->wait_for_tone(kAliceHz, -40.0, 2s));
  ASSERT_TRUE(alice->sipp->wait_for_log(std::regex("hold answer="), 5s));
  EXPECT_TRUE(alice->sipp->logged("hold answer=inactive")) << alice->sipp->log();
  EXPECT_TRUE(on_hold("alice", true));
  EXPECT_TRUE(bob->media->wait_for_quiet(kAliceHz, -60.0, 2s));
  ASSERT_TRUE(alice->sipp->wait_for_log(std::regex("resume answer="), 5s));
  EXPECT_TRUE(on_hold("alice", false));
  EXPECT_TRUE(bob->media->wait_for_tone(kAliceHz, -40.0, 2s));
}

}  // namespace
}  // namespace tutti::e2e
