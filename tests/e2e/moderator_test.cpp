// Issue 4, behaviour 7: moderator commands over the API and by in-call DTMF; self-mute and
// listen-only by DTMF.
#include <gtest/gtest.h>

#include <filesystem>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

constexpr double kAliceHz = 500.0;
constexpr double kBobHz = 700.0;
constexpr double kModHz = 900.0;

class Moderator : public ServeFixture {
 protected:
  RoomSpec room_{.name = "mod", .number = "3600", .pin = "1111", .moderator_pin = "9999",
                 .max_participants = 0, .moh = {}, .record = "on-demand", .owner = "",
                 .entry_tones = false};
  Caller* alice_ = nullptr;
  Caller* bob_ = nullptr;

  void SetUp() override {
    ServeSpec spec;
    spec.rooms = {room_};
    start(spec);
    if (HasFatalFailure()) return;
    alice_ = join(room_, "alice", room_.pin);
    bob_ = join(room_, "bob", room_.pin);
    ASSERT_TRUE(alice_ && bob_);
    alice_->media->play_tone(kAliceHz);
    bob_->media->play_tone(kBobHz);
    ASSERT_TRUE(bob_->media->wait_for_tone(kAliceHz, -40.0, 3s));
    ASSERT_TRUE(alice_->media->wait_for_tone(kBobHz, -40.0, 3s));
  }
  std::string id_of(const Caller& c) {
    const auto p = api().participant(room_.name, c.name);
    return p ? (*p)["id"].dump() : "0";
  }
  std::string participant_path(const Caller& c, const std::string& verb) {
    return "/api/rooms/" + room_.name + "/participants/" + id_of(c) + "/" + verb;
  }
  bool field_becomes(const Caller& c, const std::string& field, bool value) {
    return api()
        .wait_for_participant(room_.name, c.name,
                              [&](const Json& p) { return bool_field(p, field) == value; }, 3s)
        .has_value();
  }
  Caller* join_moderator() {
    Caller* mod = join(room_, "mona", room_.moderator_pin);
    if (mod) mod->media->play_tone(kModHz);
    return mod;
  }
  void press(Caller& c, const std::string& keys) {
    c.media->send_digits(keys);
    EXPECT_TRUE(c.media->wait_digits_sent(5s));
  }
  bool has_recording() {
    std::error_code ec;
    for (const auto& f : std::filesystem::recursive_directory_iterator(serve().recording_dir(), ec))
      if (f.is_regular_file() && f.file_size() > 44) return true;
    return false;
  }
};

TEST_F(Moderator, ApiMuteSilencesAParticipantAndUnmuteRestores) {
  Api http = api();
  EXPECT_EQ(http.post(participant_path(*bob_, "mute")).status / 100, 2);
  EXPECT_TRUE(field_becomes(*bob_, "muted", true));
  EXPECT_TRUE(alice_->media->wait_for_quiet(kBobHz, -60.0, 2s));
  EXPECT_EQ(http.post(participant_path(*bob_, "unmute")).status / 100, 2);
  EXPECT_TRUE(field_becomes(*bob_, "muted", false));
  EXPECT_TRUE(alice_->media->wait_for_tone(kBobHz, -40.0, 2s));
}

TEST_F(Moderator, ApiKickHangsUpTheParticipant) {
  EXPECT_EQ(api().post(participant_path(*bob_, "kick")).status / 100, 2);
  EXPECT_TRUE(hung_up_by_server(*bob_));
  EXPECT_TRUE(api().wait_until_absent(room_.name, "bob", 2s));
  EXPECT_FALSE(alice_->sipp->logged("hangup=server"));
}

TEST_F(Moderator, ApiLockRefusesNewCallersUntilUnlocked) {
  Api http = api();
  EXPECT_EQ(http.post("/api/rooms/" + room_.name + "/lock").status / 100, 2);
  Caller& carol = dial(room_.number, "carol", {}, "uac_refused.xml");
  EXPECT_EQ(carol.sipp->finish(8s), kSippAllCallsOk);
  EXPECT_TRUE(carol.sipp->logged("refused=486") || carol.sipp->logged("refused=403"));
  EXPECT_EQ(http.post("/api/rooms/" + room_.name + "/unlock").status / 100, 2);
  EXPECT_NE(join(room_, "dan", room_.pin), nullptr);
}

TEST_F(Moderator, ApiEndHangsUpEveryone) {
  EXPECT_EQ(api().post("/api/rooms/" + room_.name + "/end").status / 100, 2);
  EXPECT_TRUE(hung_up_by_server(*alice_));
  EXPECT_TRUE(hung_up_by_server(*bob_));
  EXPECT_TRUE(api().participants(room_.name).empty());
}

TEST_F(Moderator, ApiRecordingStartAndStopWritesAFile) {
  Api http = api();
  EXPECT_EQ(http.post("/api/rooms/" + room_.name + "/recording/start").status / 100, 2);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(http.post("/api/rooms/" + room_.name + "/recording/stop").status / 100, 2);
  EXPECT_TRUE(wait_until([&] { return has_recording(); }, 3s)) << serve().recording_dir();
}

TEST_F(Moderator, KeyOneTogglesSelfMute) {
  press(*bob_, "1");
  EXPECT_TRUE(field_becomes(*bob_, "muted", true));
  EXPECT_TRUE(alice_->media->wait_for_quiet(kBobHz, -60.0, 2s));
  press(*bob_, "1");
  EXPECT_TRUE(field_becomes(*bob_, "muted", false));
  EXPECT_TRUE(alice_->media->wait_for_tone(kBobHz, -40.0, 2s));
}

TEST_F(Moderator, KeyTwoTogglesListenOnly) {
  press(*bob_, "2");
  EXPECT_TRUE(field_becomes(*bob_, "listen_only", true));
  EXPECT_TRUE(alice_->media->wait_for_quiet(kBobHz, -60.0, 2s));
  EXPECT_GT(bob_->media->level_db(kAliceHz), -40.0) << "listen-only must still hear";
  press(*bob_, "2");
  EXPECT_TRUE(field_becomes(*bob_, "listen_only", false));
  EXPECT_TRUE(alice_->media->wait_for_tone(kBobHz, -40.0, 2s));
}

TEST_F(Moderator, ModeratorStarFiveMutesEveryoneElse) {
  Caller* mod = join_moderator();
  ASSERT_NE(mod, nullptr);
  EXPECT_EQ(str_field(*active_in(room_.name, *mod), "role"), "moderator");
  press(*mod, "*5");
  EXPECT_TRUE(field_becomes(*alice_, "muted", true));
  EXPECT_TRUE(field_becomes(*bob_, "muted", true));
  EXPECT_TRUE(field_becomes(*mod, "muted", false));
  EXPECT_TRUE(alice_->media->wait_for_quiet(kBobHz, -60.0, 2s));
  EXPECT_TRUE(alice_->media->wait_for_tone(kModHz, -40.0, 2s));
}

TEST_F(Moderator, ModeratorStarThreeLocksAndUnlocks) {
  Caller* mod = join_moderator();
  ASSERT_NE(mod, nullptr);
  press(*mod, "*3");
  std::this_thread::sleep_for(300ms);
  Caller& carol = dial(room_.number, "carol", {}, "uac_refused.xml");
  EXPECT_EQ(carol.sipp->finish(8s), kSippAllCallsOk);
  EXPECT_TRUE(carol.sipp->logged("refused=486") || carol.sipp->logged("refused=403"));
  press(*mod, "*3");
  std::this_thread::sleep_for(300ms);
  EXPECT_NE(join(room_, "dan", room_.pin), nullptr);
}

TEST_F(Moderator, ModeratorStarSevenStartsAndStopsRecording) {
  Caller* mod = join_moderator();
  ASSERT_NE(mod, nullptr);
  press(*mod, "*7");
  std::this_thread::sleep_for(1500ms);
  press(*mod, "*7");
  EXPECT_TRUE(wait_until([&] { return has_recording(); }, 3s));
}

TEST_F(Moderator, ModeratorStarEightKicksTheLastJoined) {
  Caller* mod = join_moderator();
  ASSERT_NE(mod, nullptr);
  Caller* dan = join(room_, "dan", room_.pin);
  ASSERT_NE(dan, nullptr);
  press(*mod, "*8");
  EXPECT_TRUE(hung_up_by_server(*dan));
  EXPECT_TRUE(api().wait_until_absent(room_.name, "dan", 2s));
  EXPECT_FALSE(bob_->sipp->logged("hangup=server"));
  EXPECT_TRUE(api().participant(room_.name, "bob").has_value());
}

TEST_F(Moderator, ModeratorStarNineEndsTheConferenceForAll) {
  Caller* mod = join_moderator();
  ASSERT_NE(mod, nullptr);
  press(*mod, "*9");
  EXPECT_TRUE(hung_up_by_server(*alice_));
  EXPECT_TRUE(hung_up_by_server(*bob_));
  EXPECT_TRUE(hung_up_by_server(*mod));
}

TEST_F(Moderator, ParticipantStarKeysAreNotModeratorCommands) {
  press(*bob_, "*9");
  press(*bob_, "*8");
  std::this_thread::sleep_for(1s);
  EXPECT_FALSE(alice_->sipp->logged("hangup=server"));
  EXPECT_FALSE(bob_->sipp->logged("hangup=server"));
  EXPECT_EQ(api().participants(room_.name).size(), 2u);
}

}  // namespace
}  // namespace tutti::e2e
