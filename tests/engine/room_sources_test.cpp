// Music on hold, join/leave tones, announcements, prompts and recording, as members hear them.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <vector>

#include "codec_conference.h"
#include "conference.h"

namespace tutti::test {
namespace {

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/tutti-room-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A WAV file of one tone at 16 kHz (the engine resamples it to the room rate).
std::string write_tone_wav(const std::string& dir, const char* name, double freq_hz,
                           double seconds) {
  const std::string path = dir + "/" + name;
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  std::vector<float> pcm(static_cast<std::size_t>(16000 * seconds));
  ToneGenerator(freq_hz, 0.3, 16000).fill(std::span<float>(pcm));
  sf_writef_float(f, pcm.data(), static_cast<sf_count_t>(pcm.size()));
  sf_close(f);
  return path;
}

// Every sample of a recording (empty, with a test failure, when it does not open).
std::vector<float> read_audio(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  EXPECT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
  if (f == nullptr) return {};
  std::vector<float> pcm(static_cast<std::size_t>(info.frames));
  sf_readf_float(f, pcm.data(), info.frames);
  sf_close(f);
  return pcm;
}

constexpr double kMusicHz = 523.0;

TEST(RoomSourcesTest, FirstParticipantHearsMusicUntilSecondJoins) {
  TempDir dir;
  RoomConfig rc;
  rc.moh_path = write_tone_wav(dir.path(), "moh.wav", kMusicHz, 1.3);
  Conference conf({}, rc, {{440.0}});
  conf.run(20);
  EXPECT_NEAR(tone_level_db(conf.tail(0, 9600), kMusicHz, 48000), 20 * std::log10(0.3), 1.0);
  conf.add({700.0});
  conf.run(10);
  const auto after = conf.tail(0, 9600);
  EXPECT_LT(tone_level_db(after, kMusicHz, 48000), -60.0);
  EXPECT_GT(tone_level_db(after, 700.0, 48000), -16.0);
}

TEST(RoomSourcesTest, HeldParticipantHearsMusicAndIsNotHeard) {
  TempDir dir;
  RoomConfig rc;
  rc.moh_path = write_tone_wav(dir.path(), "moh.wav", kMusicHz, 0.7);
  Conference conf({}, rc, {{440.0}, {700.0}, {1100.0}});
  ASSERT_TRUE(conf.engine().set_hold(conf.link(0).id(), true));
  conf.run(20);
  const auto held = conf.tail(0, 9600);
  EXPECT_GT(tone_level_db(held, kMusicHz, 48000), -12.0);
  EXPECT_LT(tone_level_db(held, 700.0, 48000), -60.0);
  EXPECT_LT(tone_level_db(conf.tail(1, 9600), 440.0, 48000), -60.0) << "held caller is heard";
  ASSERT_TRUE(conf.engine().set_hold(conf.link(0).id(), false));
  conf.run(10);
  EXPECT_GT(tone_level_db(conf.tail(1, 9600), 440.0, 48000), -16.0);
  EXPECT_GT(tone_level_db(conf.tail(0, 9600), 700.0, 48000), -16.0);
}

TEST(RoomSourcesTest, JoinToneIsHeardByTheOthers) {
  RoomConfig rc;
  rc.entry_tones = true;
  Conference conf({}, rc, {{0.0}, {0.0}});
  conf.run(2);
  conf.clear_heard();
  conf.add({0.0});
  conf.run(10);
  // The join beep (1400 Hz) reaches the members already in the room.
  EXPECT_GT(tone_level_db(std::span<const int16_t>(conf.heard(0)).subspan(0, 4800), 1400.0, 48000),
            -30.0);
}

TEST(RoomSourcesTest, AnnouncementReachesEveryoneAndPromptOnlyItsTarget) {
  TempDir dir;
  const std::string prompt = write_tone_wav(dir.path(), "prompt.wav", 900.0, 0.5);
  Conference conf({}, {}, {{0.0}, {0.0}, {0.0}});
  ASSERT_TRUE(conf.engine().play_to_participant(conf.link(1).id(), prompt));
  conf.run(10);
  EXPECT_GT(tone_level_db(conf.tail(1, 4800), 900.0, 48000), -12.0);
  EXPECT_LT(tone_level_db(conf.tail(0, 4800), 900.0, 48000), -60.0);
  conf.run(30);  // the one-shot has ended
  EXPECT_LT(tone_level_db(conf.tail(1, 4800), 900.0, 48000), -60.0);
  ASSERT_TRUE(conf.engine().play_to_room(conf.room(), prompt));
  conf.run(10);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_GT(tone_level_db(conf.tail(i, 4800), 900.0, 48000), -12.0) << "member " << i;
  }
  EXPECT_EQ(conf.engine().play_to_room(conf.room(), dir.path() + "/missing.wav").code(),
            StatusCode::kNotFound);
}

TEST(RoomSourcesTest, RecordingOnDemandHoldsWhatListenersHeard) {
  TempDir dir;
  RoomConfig rc;
  rc.record = RecordMode::kOnDemand;
  rc.record_dir = dir.path();
  Conference conf({}, rc, {{440.0}, {700.0}});
  auto path = conf.engine().start_recording(conf.room());
  ASSERT_TRUE(path) << path.status().to_string();
  EXPECT_EQ(conf.engine().start_recording(conf.room()).status().code(),
            StatusCode::kFailedPrecondition);
  conf.run(50);  // one second
  ASSERT_TRUE(conf.engine().stop_recording(conf.room()));
  conf.run(1);
  std::vector<Event> events(64);
  events.resize(conf.engine().poll_events(events));  // the next control call finalizes the file
  EXPECT_EQ(events.back().type, EventType::kRecordingStopped);
  const std::vector<float> pcm = read_audio(*path);
  EXPECT_EQ(pcm.size(), 50 * 960u);
  ASSERT_GE(pcm.size(), 9600u);
  const auto last = std::span<const float>(pcm).subspan(pcm.size() - 9600);
  EXPECT_GT(tone_level_db(last, 440.0, 48000), -16.0);
  EXPECT_GT(tone_level_db(last, 700.0, 48000), -16.0);
  EXPECT_NE(path->find("room-"), std::string::npos);
}

TEST(RoomSourcesTest, RoomRecordsToFlacAndOggOpusToo) {
  for (const char* format : {"flac", "opus"}) {
    TempDir dir;
    RoomConfig rc;
    rc.record = RecordMode::kOnDemand;
    rc.record_dir = dir.path();
    rc.record_format = format;
    Conference conf({}, rc, {{440.0}, {700.0}});
    auto path = conf.engine().start_recording(conf.room());
    ASSERT_TRUE(path) << path.status().to_string();
    EXPECT_EQ(path->substr(path->size() - std::string(format).size()), format);
    conf.run(50);
    ASSERT_TRUE(conf.engine().stop_recording(conf.room()));
    conf.run(1);
    std::vector<Event> events(64);
    conf.engine().poll_events(events);
    const std::vector<float> pcm = read_audio(*path);
    EXPECT_NEAR(static_cast<double>(pcm.size()), 50 * 960.0, 960.0) << format;
    ASSERT_GE(pcm.size(), 9600u);
    const auto last = std::span<const float>(pcm).subspan(pcm.size() - 9600);
    EXPECT_GT(tone_level_db(last, 700.0, 48000), -17.0) << format;
  }
  RoomConfig bad;
  bad.record_format = "mp3";
  auto engine = std::move(*Engine::create({}));
  EXPECT_EQ(engine->create_room(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST(RoomSourcesTest, AutoRecordingStartsWithTheRoomAndBadDirectoryIsRefused) {
  TempDir dir;
  auto engine = std::move(*Engine::create({}));
  RoomConfig rc;
  rc.record = RecordMode::kAuto;
  rc.record_dir = dir.path();
  ASSERT_TRUE(engine->create_room(rc));
  engine->tick();
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator{}),
            1);
  rc.record_dir = dir.path() + "/nope";
  auto bad = engine->create_room(rc);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("auto-recording failed"), std::string::npos);
  RoomConfig off;
  auto room = *engine->create_room(off);
  EXPECT_EQ(engine->start_recording(room).status().code(), StatusCode::kFailedPrecondition);
}

TEST(RoomSourcesTest, CodecCallerAloneHearsMusicThenTheOthers) {
  TempDir dir;
  RoomConfig rc;
  rc.moh_path = write_tone_wav(dir.path(), "moh.wav", kMusicHz, 0.9);
  CodecConference conf({}, rc, {{"PCMU", 440.0}});
  conf.run(25);
  EXPECT_NEAR(tone_level_db(conf.tail(0, 300), kMusicHz, 8000), 20 * std::log10(0.3), 1.5);
  conf.add({"opus", 700.0});
  conf.run(30);
  EXPECT_LT(tone_level_db(conf.tail(0, 300), kMusicHz, 8000), -50.0);
  EXPECT_NEAR(tone_level_db(conf.tail(0, 300), 700.0, 8000), -14.0, 2.0);
}

TEST(RoomSourcesTest, DtmfFeedbackReachesOnlyTheCallerWhoPressed) {
  Conference conf({}, {}, {{0.0}, {0.0}});
  ASSERT_TRUE(conf.engine().play_dtmf_feedback(conf.link(0).id(), '5'));
  EXPECT_EQ(conf.engine().play_dtmf_feedback(conf.link(0).id(), 'x').code(),
            StatusCode::kInvalidArgument);
  conf.run(5);
  const auto pressed = std::span<const int16_t>(conf.heard(0)).subspan(0, 4800);
  EXPECT_GT(tone_level_db(pressed, 770.0, 48000), -25.0);   // row of 5
  EXPECT_GT(tone_level_db(pressed, 1336.0, 48000), -25.0);  // column of 5
  EXPECT_LT(tone_level_db(conf.tail(1, 4800), 770.0, 48000), -60.0);
}

TEST(RoomSourcesTest, ParticipantRecordingHoldsItsOwnVoiceOnly) {
  TempDir dir;
  RoomConfig rc;
  rc.record = RecordMode::kOnDemand;
  rc.record_dir = dir.path();
  Conference conf({}, rc, {{440.0}, {700.0}});
  auto path = conf.engine().start_participant_recording(conf.link(0).id());
  ASSERT_TRUE(path) << path.status().to_string();
  EXPECT_NE(path->find("participant-"), std::string::npos);
  conf.run(25);
  ASSERT_TRUE(conf.engine().remove_participant(conf.link(0).id()));  // leaving stops it
  conf.run(1);
  std::vector<Event> events(64);
  conf.engine().poll_events(events);
  const std::vector<float> pcm = read_audio(*path);
  EXPECT_EQ(pcm.size(), 25 * 960u);
  EXPECT_GT(tone_level_db(pcm, 440.0, 48000), -16.0);
  EXPECT_LT(tone_level_db(pcm, 700.0, 48000), -60.0);
}

// Steady noise from one caller: with the room's denoise on, the others hear it much quieter.
TEST(RoomSourcesTest, DenoiseTurnsDownSteadyNoise) {
  auto noise_heard = [](bool denoise) {
    RoomConfig rc;
    rc.denoise = denoise;
    rc.talk_on_dbfs = -60.0f;  // keep the noisy caller in the mix either way
    rc.talk_off_dbfs = -70.0f;
    Conference conf({}, rc, {{0.0}, {0.0}});
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 0.03 * 32767);
    std::vector<int16_t> pcm(conf.frame()), out(conf.frame());
    std::vector<int16_t> heard;
    for (int t = 0; t < 150; ++t) {
      for (auto& x : pcm) x = static_cast<int16_t>(std::clamp(noise(rng), -32767.0, 32767.0));
      conf.link(0).try_push_input(pcm);
      conf.engine().tick();
      const std::size_t got = conf.link(1).try_pull_output(out);
      if (t >= 100) heard.insert(heard.end(), out.begin(), out.begin() + static_cast<long>(got));
      conf.link(0).try_pull_output(out);
    }
    return rms_db(std::span<const int16_t>(heard));
  };
  const double plain = noise_heard(false);
  const double cleaned = noise_heard(true);
  EXPECT_NEAR(plain, 20 * std::log10(0.03), 1.0);
  EXPECT_LT(cleaned, plain - 10.0);
}

}  // namespace
}  // namespace tutti::test
