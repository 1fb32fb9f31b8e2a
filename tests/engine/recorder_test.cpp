// Recording sink: what the tap receives is what the WAV / FLAC holds (Ogg Opus: the tone, at the
// right length), names come from ids, the tick never blocks, write errors are reported, and a
// SIGKILL costs at most a second of audio.
#include "recorder.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <random>
#include <thread>
#include <vector>

#include "tutti/tone_meter.h"

namespace tutti::detail {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr int kRate = 48000;
constexpr std::size_t kFrame = 960;  // 20 ms at 48 kHz
constexpr double kToneHz = 440.0;

// Sample i of the test tone: a pure function so any stretch of the file can be checked exactly.
int16_t tone_sample(std::size_t i) {
  const double phase = 2.0 * std::numbers::pi * kToneHz * static_cast<double>(i) / kRate;
  return static_cast<int16_t>(std::lround(16000.0 * std::sin(phase)));
}

void fill_tone(std::vector<int16_t>& frame, std::size_t first_sample) {
  for (std::size_t i = 0; i < frame.size(); ++i) frame[i] = tone_sample(first_sample + i);
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tutti-rec-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::vector<fs::path> files() const {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(path_)) out.push_back(entry.path());
    return out;
  }

 private:
  std::string path_;
};

struct WavContents {
  bool opened = false;
  int sample_rate_hz = 0;
  int channels = 0;
  std::vector<int16_t> samples;
};

WavContents read_wav(const std::string& path) {
  WavContents out;
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) return out;
  out.opened = true;
  out.sample_rate_hz = info.samplerate;
  out.channels = info.channels;
  // Read to the end rather than trusting info.frames: a killed FLAC file's STREAMINFO still says
  // 0 samples (unknown), and a killed Ogg file has no final granule position.
  std::vector<int16_t> chunk(4096 * static_cast<std::size_t>(std::max(1, info.channels)));
  for (;;) {
    const sf_count_t got = sf_read_short(file, chunk.data(), static_cast<sf_count_t>(chunk.size()));
    if (got <= 0) break;
    out.samples.insert(out.samples.end(), chunk.begin(), chunk.begin() + got);
  }
  sf_close(file);
  return out;
}

// Index of the first sample that differs from the tone, or samples.size().
std::size_t first_mismatch(const std::vector<int16_t>& samples) {
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (samples[i] != tone_sample(i)) return i;
  }
  return samples.size();
}

template <typename Pred>
bool wait_until(Pred pred, milliseconds timeout = milliseconds(3000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

TEST(RecorderTest, RecordingHoldsWhatTheTapReceived) {
  TempDir dir;
  RecordingWriter writer;
  auto recording = writer.start({dir.path(), RoomId{7}, std::nullopt, kRate, 128});
  ASSERT_TRUE(recording.is_ok()) << recording.status().to_string();
  std::vector<int16_t> frame(kFrame);
  for (std::size_t f = 0; f < 100; ++f) {  // 2 s
    fill_tone(frame, f * kFrame);
    ASSERT_TRUE((*recording)->tap().try_write(frame.data(), frame.size()));
  }
  ASSERT_TRUE(writer.stop(**recording).is_ok());
  EXPECT_EQ((*recording)->state(), RecordingState::kStopped);
  EXPECT_EQ((*recording)->tap().dropped_frames(), 0u);

  const WavContents wav = read_wav((*recording)->path());
  ASSERT_TRUE(wav.opened) << sf_strerror(nullptr);
  EXPECT_EQ(wav.sample_rate_hz, kRate);
  EXPECT_EQ(wav.channels, 1);
  ASSERT_EQ(wav.samples.size(), 96000u);
  EXPECT_EQ(first_mismatch(wav.samples), wav.samples.size());
}

// Records 2 s of the test tone in `format` through a writer and reads the file back.
WavContents record_two_seconds(const TempDir& dir, RecordingFormat format,
                               std::optional<ParticipantId> participant, std::string* extension) {
  RecordingWriter writer;
  RecordingSpec spec{dir.path(), RoomId{7}, participant, kRate, 128};
  spec.format = format;
  auto recording = writer.start(spec);
  EXPECT_TRUE(recording.is_ok()) << recording.status().to_string();
  if (!recording.is_ok()) return {};
  std::vector<int16_t> frame(kFrame);
  for (std::size_t f = 0; f < 100; ++f) {
    fill_tone(frame, f * kFrame);
    EXPECT_TRUE((*recording)->tap().try_write(frame.data(), frame.size()));
  }
  EXPECT_TRUE(writer.stop(**recording).is_ok());
  EXPECT_EQ((*recording)->state(), RecordingState::kStopped);
  *extension = fs::path((*recording)->path()).extension();
  return read_wav((*recording)->path());
}

TEST(RecorderTest, FlacRoundTripIsBitExact) {
  TempDir dir;
  std::string extension;
  const WavContents flac =
      record_two_seconds(dir, RecordingFormat::kFlac, std::nullopt, &extension);
  EXPECT_EQ(extension, ".flac");
  ASSERT_TRUE(flac.opened) << sf_strerror(nullptr);
  EXPECT_EQ(flac.sample_rate_hz, kRate);
  EXPECT_EQ(flac.channels, 1);
  ASSERT_EQ(flac.samples.size(), 96000u);
  EXPECT_EQ(first_mismatch(flac.samples), flac.samples.size());
}

TEST(RecorderTest, OggOpusRoundTripKeepsLengthAndTone) {
  TempDir dir;
  std::string extension;
  const WavContents opus =
      record_two_seconds(dir, RecordingFormat::kOggOpus, ParticipantId{2}, &extension);
  EXPECT_EQ(extension, ".opus");
  ASSERT_TRUE(opus.opened) << sf_strerror(nullptr);
  EXPECT_EQ(opus.sample_rate_hz, kRate);
  EXPECT_EQ(opus.channels, 1);
  EXPECT_NEAR(static_cast<double>(opus.samples.size()), 96000.0, static_cast<double>(kFrame));
  ASSERT_GE(opus.samples.size(), 48000u);
  const std::span<const int16_t> middle(opus.samples.data() + 24000, 24000);
  EXPECT_GT(tone_level_db(middle, kToneHz, kRate), -12.0);
}

TEST(RecorderTest, OggOpusRefusesRatesItCannotEncode) {
  TempDir dir;
  RecordingWriter writer;
  RecordingSpec spec{dir.path(), RoomId{7}, std::nullopt, 44100, 16};
  spec.format = RecordingFormat::kOggOpus;
  auto recording = writer.start(spec);
  ASSERT_FALSE(recording.is_ok());
  EXPECT_EQ(recording.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(recording.status().message().find("44100"), std::string::npos)
      << recording.status().message();
  EXPECT_TRUE(dir.files().empty());
}

TEST(RecorderTest, FileNamesComeFromIdsOnly) {
  EXPECT_EQ(recording_file_name(RoomId{7}, std::nullopt, 1700000000123, RecordingFormat::kFlac),
            "room-7-1700000000123.flac");
  EXPECT_EQ(
      recording_file_name(RoomId{7}, ParticipantId{42}, 1700000000123, RecordingFormat::kOggOpus),
      "room-7-participant-42-1700000000123.opus");
  EXPECT_EQ(recording_file_name(RoomId{7}, std::nullopt, 1700000000123),
            "room-7-1700000000123.wav");
  EXPECT_EQ(recording_file_name(RoomId{7}, ParticipantId{42}, 1700000000123),
            "room-7-participant-42-1700000000123.wav");

  TempDir dir;
  RecordingWriter writer;
  auto room = writer.start({dir.path(), RoomId{3}, std::nullopt, kRate, 4});
  auto same_room = writer.start({dir.path(), RoomId{3}, std::nullopt, kRate, 4});
  auto member = writer.start({dir.path(), RoomId{3}, ParticipantId{9}, kRate, 4});
  ASSERT_TRUE(room.is_ok() && same_room.is_ok() && member.is_ok());
  // Two recordings started in the same millisecond still get distinct files.
  EXPECT_NE((*room)->path(), (*same_room)->path());
  for (const auto* r : {&room, &same_room, &member}) {
    const fs::path path(r->value()->path());
    EXPECT_EQ(path.parent_path(), fs::path(dir.path()));
    EXPECT_EQ(path.extension(), ".wav");
  }
  EXPECT_EQ(fs::path((*room)->path()).filename().string().rfind("room-3-", 0), 0u);
  EXPECT_EQ(fs::path((*member)->path()).filename().string().rfind("room-3-participant-9-", 0), 0u);
  EXPECT_EQ(dir.files().size(), 3u);
}

TEST(RecorderTest, MissingDirectoryIsRefusedWithAMessage) {
  TempDir dir;
  const std::string missing = dir.path() + "/no-such-dir";
  RecordingWriter writer;
  auto recording = writer.start({missing, RoomId{1}, std::nullopt, kRate, 4});
  ASSERT_FALSE(recording.is_ok());
  EXPECT_EQ(recording.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(recording.status().message().find(missing), std::string::npos);
  EXPECT_NE(recording.status().message().find("does not exist"), std::string::npos);
  EXPECT_FALSE(fs::exists(missing));
}

TEST(RecorderTest, FullRingDropsAndCountsWithoutBlocking) {
  RecordingTap tap(4);  // no writer drains it
  std::vector<int16_t> frame(kFrame, 1);
  int accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += tap.try_write(frame.data(), frame.size()) ? 1 : 0;
  EXPECT_EQ(accepted, 4);
  EXPECT_EQ(tap.dropped_frames(), 6u);
  // A frame longer than the slots is refused the same way, never truncated silently.
  std::vector<int16_t> too_long(kMaxFrameSamples + 1);
  RecordingTap roomy(4);
  EXPECT_FALSE(roomy.try_write(too_long.data(), too_long.size()));
  EXPECT_EQ(roomy.dropped_frames(), 1u);
}

TEST(RecorderTest, WriteErrorFailsTheRecordingAndTheTapKeepsDraining) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  RecordingWriter writer;
  auto recording = writer.start_on_path_for_test("/dev/full", kRate, 8);
  ASSERT_TRUE(recording.is_ok()) << recording.status().to_string();
  Recording& r = **recording;
  ASSERT_TRUE(wait_until([&] { return r.state() == RecordingState::kFailed; }));
  EXPECT_NE(r.error().find("No space left on device"), std::string::npos) << r.error();
  // The tick side never notices: three ringfuls go through without a drop.
  std::vector<int16_t> frame(kFrame, 1);
  for (int round = 0; round < 3; ++round) {
    for (std::size_t f = 0; f < r.tap().capacity_frames(); ++f) {
      EXPECT_TRUE(r.tap().try_write(frame.data(), frame.size()));
    }
    ASSERT_TRUE(wait_until([&] { return r.tap().pending_frames() == 0; }));
  }
  EXPECT_EQ(r.tap().dropped_frames(), 0u);
  const Status stopped = writer.stop(r);
  EXPECT_FALSE(stopped.is_ok());
  EXPECT_NE(stopped.message().find("No space left on device"), std::string::npos);
}

// Child process: record the tone in real time (20 ms frames) until killed.
[[noreturn]] void record_in_real_time(const std::string& dir, RecordingFormat format,
                                      int ready_fd) {
  RecordingWriter writer;
  RecordingSpec spec{dir, RoomId{11}, std::nullopt, kRate, 256};
  spec.format = format;
  auto recording = writer.start(spec);
  if (!recording.is_ok()) ::_exit(2);
  if (::write(ready_fd, "r", 1) != 1) ::_exit(3);
  std::vector<int16_t> frame(kFrame);
  auto next = std::chrono::steady_clock::now();
  for (std::size_t f = 0; f < 250; ++f) {  // 5 s, far past any kill point
    fill_tone(frame, f * kFrame);
    (void)(*recording)->tap().try_write(frame.data(), frame.size());
    next += milliseconds(20);
    std::this_thread::sleep_until(next);
  }
  ::_exit(4);
}

struct KillOutcome {
  double recorded_s = 0.0;  // how long the child had been recording when it died
  WavContents wav;
};

KillOutcome record_then_sigkill(const std::string& dir, RecordingFormat format,
                                double kill_after_s) {
  KillOutcome out;
  int ready[2];
  if (::pipe(ready) != 0) {
    ADD_FAILURE() << "pipe failed";
    return out;
  }
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(ready[0]);
    record_in_real_time(dir, format, ready[1]);
  }
  ::close(ready[1]);
  char byte = 0;
  const bool started = ::read(ready[0], &byte, 1) == 1;
  const auto t0 = std::chrono::steady_clock::now();
  ::close(ready[0]);
  if (started) {
    std::this_thread::sleep_for(std::chrono::duration<double>(kill_after_s));
  }
  ::kill(child, SIGKILL);
  out.recorded_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int status = 0;
  EXPECT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(started) << "child could not start recording";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;

  const std::vector<fs::path> files = [&] {
    std::vector<fs::path> v;
    for (const auto& e : fs::directory_iterator(dir)) v.push_back(e.path());
    return v;
  }();
  EXPECT_EQ(files.size(), 1u);
  if (files.size() == 1) out.wav = read_wav(files[0].string());
  return out;
}

class RecorderKillTest : public ::testing::TestWithParam<RecordingFormat> {};

TEST_P(RecorderKillTest, SigkillLeavesAPlayableFileMissingAtMostOneSecond) {
  const RecordingFormat format = GetParam();
  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> kill_point(1.2, 2.5);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::printf("[          ] seed %u\n", seed);
  for (int run = 0; run < 3; ++run) {
    TempDir dir;
    const double kill_after_s = kill_point(rng);
    const KillOutcome outcome = record_then_sigkill(dir.path(), format, kill_after_s);
    ASSERT_TRUE(outcome.wav.opened) << "kill at " << kill_after_s << " s: " << sf_strerror(nullptr);
    EXPECT_EQ(outcome.wav.sample_rate_hz, kRate);
    const double kept_s = static_cast<double>(outcome.wav.samples.size()) / kRate;
    std::printf("[          ] %s killed after %.3f s: file holds %.3f s, lost %.3f s\n",
                recording_extension(format), outcome.recorded_s, kept_s,
                outcome.recorded_s - kept_s);
    EXPECT_GE(kept_s, outcome.recorded_s - 1.0);
    if (format != RecordingFormat::kOggOpus) {  // lossless: every kept sample is exact
      EXPECT_EQ(first_mismatch(outcome.wav.samples), outcome.wav.samples.size());
    }
    ASSERT_GE(outcome.wav.samples.size(), 4800u);
    const std::span<const int16_t> tail(outcome.wav.samples.end() - 4800,
                                        outcome.wav.samples.end());
    EXPECT_GT(tone_level_db(tail, kToneHz, kRate), -12.0);
  }
}

INSTANTIATE_TEST_SUITE_P(Recorder, RecorderKillTest,
                         ::testing::Values(RecordingFormat::kWav, RecordingFormat::kFlac,
                                           RecordingFormat::kOggOpus),
                         [](const ::testing::TestParamInfo<RecordingFormat>& param_info) {
                           return std::string(recording_extension(param_info.param));
                         });

}  // namespace
}  // namespace tutti::detail
