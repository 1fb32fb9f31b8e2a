// Issue 4, behaviour 2: music on hold for a lone participant; entry tones.
#include <gtest/gtest.h>

#include "serve_fixture.h"
#include "support/signals.h"

namespace tutti::e2e {
namespace {

constexpr double kMohHz = 300.0;
constexpr double kAliceHz = 500.0;
constexpr double kBobHz = 700.0;

class MusicOnHold : public ServeFixture {
 protected:
  RoomSpec room_{.name = "moh", .number = "3100", .pin = "", .moderator_pin = "",
                 .max_participants = 0, .moh = {}, .record = "", .owner = "",
                 .entry_tones = false};
  RoomSpec tones_{.name = "tones", .number = "3101", .pin = "", .moderator_pin = "",
                  .max_participants = 0, .moh = {}, .record = "", .owner = "",
                  .entry_tones = true};
  void SetUp() override {
    room_.moh = dir() / "moh300.wav";
    write_tone_wav(room_.moh, kMohHz, 10.0);
    ServeSpec spec;
    spec.rooms = {room_, tones_};
    start(spec);
  }
};

TEST_F(MusicOnHold, FirstParticipantHearsMusicUntilSecondJoins) {
  Caller* alice = join(room_, "alice");
  ASSERT_NE(alice, nullptr);
  alice->media->play_tone(kAliceHz);
  EXPECT_TRUE(alice->media->wait_for_tone(kMohHz, -40.0, 3s))
      << "MOH level " << alice->media->level_db(kMohHz);

  Caller* bob = join(room_, "bob");
  ASSERT_NE(bob, nullptr);
  bob->media->play_tone(kBobHz);
  EXPECT_TRUE(alice->media->wait_for_tone(kBobHz, -40.0, 3s));
  EXPECT_TRUE(alice->media->wait_for_quiet(kMohHz, alice->media->level_db(kBobHz) - 30.0, 3s))
      << "MOH still at " << alice->media->level_db(kMohHz) << " dB with bob at "
      << alice->media->level_db(kBobHz);
  EXPECT_LT(bob->media->level_db(kMohHz), bob->media->level_db(kAliceHz) - 30.0);
}

// Everybody is silent; what alice hears when bob comes and goes is the entry/exit tone.
TEST_F(MusicOnHold, JoinAndLeavePlayAShortToneToTheOthers) {
  Caller* alice = join(tones_, "alice");
  ASSERT_NE(alice, nullptr);
  ASSERT_TRUE(alice->media->wait_for_packets(10, 3s));
  std::this_thread::sleep_for(500ms);
  const auto before = alice->media->samples_received();
  Caller* bob = join(tones_, "bob", "", {{"hangup_ms", "2500"}});
  ASSERT_NE(bob, nullptr);
  std::this_thread::sleep_for(1s);
  const auto on_join = alice->media->received_since(before);
  EXPECT_GT(test::rms_db(std::span<const int16_t>(on_join)), -50.0) << "no tone on join";

  const auto leave_mark = alice->media->samples_received();  // the join tone is over
  ASSERT_TRUE(bob->sipp->wait_for_log(std::regex("hangup=client"), 5s));
  ASSERT_TRUE(api().wait_until_absent(tones_.name, "bob", 3s));
  std::this_thread::sleep_for(1s);
  const auto on_leave = alice->media->received_since(leave_mark);
  EXPECT_GT(test::rms_db(std::span<const int16_t>(on_leave)), -50.0) << "no tone on leave";
}

}  // namespace
}  // namespace tutti::e2e
