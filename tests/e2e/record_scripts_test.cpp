// Issue 5, recorded call scripts: `tutti serve --record-scripts DIR` writes a live conference
// as a scenario that the scenario loader accepts and `tutti run` replays with its recorded
// expectations passing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "serve_fixture.h"
#include "tutti/scenario/scenario.h"

namespace tutti::e2e {
namespace {

namespace fs = std::filesystem;
namespace sc = tutti::scenario;

class RecordScripts : public ServeFixture {
 protected:
  RoomSpec room_{.name = "rec",
                 .number = "3700",
                 .pin = "1111",
                 .moderator_pin = "9999",
                 .max_participants = 0,
                 .moh = {},
                 .record = "",
                 .owner = "",
                 .entry_tones = false};
  fs::path scripts_;

  void SetUp() override {
    scripts_ = dir() / "scripts";
    ServeSpec spec;
    spec.rooms = {room_};
    spec.extra_args = {"--record-scripts", scripts_.string()};
    start(spec);
  }
  bool field_becomes(const std::string& who, const std::string& field, bool value) {
    return api()
        .wait_for_participant(
            room_.name, who, [&](const Json& p) { return bool_field(p, field) == value; }, 3s)
        .has_value();
  }
  // The one script directory written so far.
  std::optional<fs::path> script_file() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(scripts_, ec)) {
      if (fs::exists(entry.path() / "scenario.yaml")) return entry.path() / "scenario.yaml";
    }
    return std::nullopt;
  }
};

template <typename T>
std::vector<const T*> steps_of(const sc::Scenario& s) {
  std::vector<const T*> out;
  for (const sc::Step& step : s.timeline) {
    if (const T* a = std::get_if<T>(&step.action)) out.push_back(a);
  }
  return out;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(RecordScripts, ALiveConferenceReplaysWithItsRecordedExpectations) {
  const std::map<std::string, std::string> stay{{"hangup_ms", "60000"}};
  Caller* alice = join(room_, "alice", room_.moderator_pin, stay);
  ASSERT_NE(alice, nullptr);
  alice->media->play_tone(500.0);
  Caller* bob = join(room_, "bob", room_.pin, stay);
  ASSERT_NE(bob, nullptr);
  bob->media->play_tone(700.0);
  Caller* carol = join(room_, "carol", room_.pin, {{"hangup_ms", "3500"}});
  ASSERT_NE(carol, nullptr);
  carol->media->play_tone(900.0);

  const auto carol_id = api().participant(room_.name, "carol");
  ASSERT_TRUE(carol_id.has_value());
  EXPECT_EQ(
      api()
          .post("/api/rooms/" + room_.name + "/participants/" + (*carol_id)["id"].dump() + "/mute")
          .status,
      200);
  EXPECT_TRUE(field_becomes("carol", "muted", true));
  bob->media->send_digits("1");
  EXPECT_TRUE(bob->media->wait_digits_sent(5s));
  EXPECT_TRUE(field_becomes("bob", "muted", true));
  EXPECT_TRUE(api().wait_until_absent(room_.name, "carol", 6s)) << "carol hangs up by herself";
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(serve().process().terminate(5000ms), 0) << "SIGTERM finishes the scripts";

  const std::optional<fs::path> file = script_file();
  ASSERT_TRUE(file.has_value()) << "no scenario.yaml under " << scripts_;
  const std::string text = read_text(*file);
  Result<sc::Scenario> loaded = sc::load_scenario(file->string());
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message() << "\n" << text;
  const sc::Scenario& s = loaded.value();

  ASSERT_EQ(s.participants.size(), 3u) << text;
  for (const sc::Participant& p : s.participants) {
    EXPECT_EQ(p.codec, sc::Codec::kPcmu) << p.name;
    EXPECT_TRUE(p.send_on_answer) << p.name;
    const auto* wav = std::get_if<sc::WavFile>(&p.audio.source);
    ASSERT_NE(wav, nullptr) << p.name << " has no WAV\n" << text;
    EXPECT_GT(fs::file_size(wav->path), 44u) << wav->path;
  }
  EXPECT_EQ(s.participants[0].name, "alice");
  const auto* room = std::get_if<sc::EmbeddedServer>(&s.server);
  ASSERT_NE(room, nullptr);
  ASSERT_EQ(room->config.rooms.size(), 1u);
  EXPECT_EQ(room->config.rooms[0].number, "3700");
  EXPECT_EQ(room->config.rooms[0].pin, std::optional<std::string>("1111"));

  EXPECT_EQ(steps_of<sc::Call>(s).size(), 3u) << text;
  bool moderator_pin = false;
  for (const sc::Dtmf* d : steps_of<sc::Dtmf>(s))
    moderator_pin |= d->who == "alice" && d->digits == "9999";
  EXPECT_TRUE(moderator_pin) << text;
  ASSERT_EQ(steps_of<sc::Mute>(s).size(), 1u) << text;
  EXPECT_EQ(steps_of<sc::Mute>(s)[0]->who, "bob");
  ASSERT_EQ(steps_of<sc::Moderator>(s).size(), 1u) << text;
  EXPECT_EQ(steps_of<sc::Moderator>(s)[0]->verb, sc::ModeratorVerb::kMute);
  EXPECT_EQ(steps_of<sc::Moderator>(s)[0]->target, "carol");
  ASSERT_EQ(steps_of<sc::Hangup>(s).size(), 1u) << text;
  EXPECT_EQ(steps_of<sc::Hangup>(s)[0]->who, "carol");

  bool roster = false, events = false;
  for (const sc::Expect& e : s.expect) {
    if (const auto* r = std::get_if<sc::Roster>(&e.what)) {
      roster = true;
      EXPECT_EQ(r->active, (std::vector<std::string>{"alice", "bob"})) << text;
    }
    if (const auto* ev = std::get_if<sc::Events>(&e.what)) {
      events = true;
      ASSERT_FALSE(ev->in_order.empty());
      EXPECT_EQ(ev->in_order.front().type, "joined");
      EXPECT_EQ(ev->in_order.back().type, "left");
      EXPECT_EQ(ev->in_order.back().who, "carol");
    }
  }
  EXPECT_TRUE(roster && events) << text;

  Process replay(ProcessOptions{.argv = {tutti_binary(), "run", "--quiet", file->string()},
                                .stdout_file = dir() / "replay.stdout",
                                .stderr_file = dir() / "replay.stderr",
                                .working_dir = dir()});
  const std::optional<int> status = replay.wait(25s);
  EXPECT_EQ(status, std::optional<int>(0)) << "tutti run " << file->string() << "\n"
                                           << replay.output() << replay.stderr_tail() << "\n"
                                           << text;
}

}  // namespace
}  // namespace tutti::e2e
