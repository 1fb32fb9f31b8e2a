// Recording sink: the room mix (or one participant) to a 16-bit mono WAV file (or FLAC / Ogg
// Opus through libsndfile, see recorder_sndfile.h), written by a writer thread fed through a
// lock-free ring, so the tick never does file I/O.
//
// Threads and ownership:
//   tick       RecordingTap::try_write only (never allocates, locks or blocks; drops and
//              counts when the ring is full).
//   control    RecordingWriter::start / stop / the destructor, Recording's getters. These
//              allocate, lock the writer's mutex and open/close files.
//   writer     one thread per RecordingWriter; it alone touches the file descriptors and drains
//              every tap (the ring's single consumer). The tick never touches the writer's mutex.
//
// Crash safety: the header is written first with RIFF and data sizes 0, then every
// header_interval (and at stop) the writer fdatasync()s the samples, rewrites the two sizes with
// pwrite (offsets 4 and 40) to cover exactly the bytes synced so far. A SIGKILL leaves the page
// cache intact, so the file holds a valid header covering everything up to the last update
// (at most header_interval + one poll of audio is lost). On power loss the order (data synced
// before the header that covers it) keeps the header from claiming bytes not on disk.
// Sizes 0 at start are the usual "streaming WAV" convention: a valid header with an empty data
// chunk; readers that trust the file length over the header (sox, ffmpeg) also see the tail.
// FLAC and Ogg Opus have their own scheme (periodic fsync of whole frames / pages): see
// recorder_sndfile.h. The WAV path above is unchanged.
//
// File names come from server-side integer ids only: <dir>/room-<room>-<unix_ms>.<ext> or
// <dir>/room-<room>-participant-<id>-<unix_ms>.<ext> (ext wav, flac or opus); no caller-supplied
// text reaches a path except the directory, which must already exist.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rt.h"
#include "shared_frame.h"
#include "spsc_ring.h"
#include "tutti/engine.h"
#include "tutti/status.h"

namespace tutti::detail {

enum class RecordingFormat { kWav, kFlac, kOggOpus };

// "wav", "flac", "opus".
const char* recording_extension(RecordingFormat format) noexcept;

class SndfileSink;

struct RecordingFrame {
  uint32_t samples = 0;
  int16_t pcm[kMaxFrameSamples];
};

// The tick's end of a recording: a preallocated ring of frames.
class Recording;

class RecordingTap {
 public:
  explicit RecordingTap(std::size_t capacity_frames, Recording* owner = nullptr)
      : ring_(capacity_frames), owner_(owner) {}
  // The recording this tap feeds (nullptr for a free-standing tap).
  Recording* owner() const noexcept { return owner_; }

  // Tick thread (the single producer); real-time safe. Copies one frame of at most
  // kMaxFrameSamples samples; false (and a dropped frame counted) when the ring is full or the
  // frame is empty or too long.
  TUTTI_RT bool try_write(const int16_t* pcm, std::size_t samples) noexcept;

  // Any thread.
  uint64_t dropped_frames() const noexcept { return dropped_.load(std::memory_order_relaxed); }
  std::size_t pending_frames() const noexcept { return ring_.size_approx(); }
  std::size_t capacity_frames() const noexcept { return ring_.capacity(); }

  // Writer thread (the single consumer).
  SpscRing<RecordingFrame>& ring() noexcept { return ring_; }

 private:
  SpscRing<RecordingFrame> ring_;
  std::atomic<uint64_t> dropped_{0};  // written by the producer only
  Recording* owner_;
};

enum class RecordingState { kRecording, kFailed, kStopped };

struct RecordingSpec {
  std::string directory;  // must exist; the file name is built from ids
  RoomId room;
  std::optional<ParticipantId> participant;  // empty: the room mix
  int sample_rate_hz = 48000;
  std::size_t ring_frames = 256;  // ~5 s of 20 ms frames
  // kOggOpus takes 8000, 12000, 16000, 24000 or 48000 Hz only; start() refuses other rates.
  RecordingFormat format = RecordingFormat::kWav;
};

// "room-7-1700000000000.wav", "room-7-participant-3-1700000000000.flac".
std::string recording_file_name(RoomId room, std::optional<ParticipantId> participant,
                                int64_t unix_ms, RecordingFormat format = RecordingFormat::kWav);

// One file being recorded. Getters are for any thread; everything else belongs to the writer.
class Recording {
 public:
  // fd is -1 when sink (FLAC / Ogg Opus) owns the file instead.
  Recording(std::string path, int fd, int sample_rate_hz, std::size_t ring_frames,
            std::unique_ptr<SndfileSink> sink = nullptr);
  ~Recording();
  Recording(const Recording&) = delete;
  Recording& operator=(const Recording&) = delete;

  RecordingTap& tap() noexcept { return tap_; }
  const std::string& path() const noexcept { return path_; }
  RecordingState state() const noexcept { return state_.load(std::memory_order_acquire); }
  // Why the recording failed ("write: No space left on device"); empty unless kFailed.
  std::string error() const;
  uint64_t samples_written() const noexcept {
    return samples_written_.load(std::memory_order_relaxed);
  }

 private:
  friend class RecordingWriter;

  const std::string path_;
  const int sample_rate_hz_;
  RecordingTap tap_;
  std::atomic<RecordingState> state_{RecordingState::kRecording};
  std::atomic<uint64_t> samples_written_{0};
  mutable std::mutex error_mutex_;
  std::string error_;

  // Writer thread only (the fd or the sink is handed over by start()).
  int fd_;
  std::unique_ptr<SndfileSink> sink_;
  bool header_written_ = false;
  uint64_t data_bytes_ = 0;    // samples written after the header
  uint64_t header_bytes_ = 0;  // data bytes the on-file header covers
  std::chrono::steady_clock::time_point last_header_{};

  // Guarded by the writer's mutex.
  bool stop_requested_ = false;
  bool finished_ = false;
};

struct RecordingWriterOptions {
  std::chrono::milliseconds header_interval{500};  // how often the header is brought up to date
  std::chrono::milliseconds poll_interval{10};     // how often the rings are drained
};

class RecordingWriter {
 public:
  explicit RecordingWriter(RecordingWriterOptions options = {});
  ~RecordingWriter();  // stops every recording (finalizing its header) and joins the thread
  RecordingWriter(const RecordingWriter&) = delete;
  RecordingWriter& operator=(const RecordingWriter&) = delete;

  // Control thread; allocates and opens the file. Hand recording->tap() to the tick afterwards.
  Result<std::shared_ptr<Recording>> start(const RecordingSpec& spec);
  // Control thread; blocks until the writer has drained the tap, finalized the header and
  // closed the file. Take the tap away from the tick first: frames written later are lost.
  // Returns the failure if the recording failed.
  Status stop(Recording& recording);

  // Test hook: record to an existing path as is (e.g. /dev/full), skipping the naming rules.
  Result<std::shared_ptr<Recording>> start_on_path_for_test(const std::string& path,
                                                            int sample_rate_hz,
                                                            std::size_t ring_frames);

 private:
  Result<std::shared_ptr<Recording>> adopt(std::string path, int fd, int sample_rate_hz,
                                           std::size_t ring_frames,
                                           RecordingFormat format = RecordingFormat::kWav);
  void run();
  void service(Recording& r, bool stopping, std::chrono::steady_clock::time_point now);
  void fail(Recording& r, const char* what, int err);
  void fail(Recording& r, const char* what, const std::string& why);
  void update_header(Recording& r);
  void service_sink(Recording& r, bool stopping, std::chrono::steady_clock::time_point now);

  const RecordingWriterOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::shared_ptr<Recording>> active_;  // guarded by mutex_
  bool quit_ = false;                               // guarded by mutex_
  std::thread thread_;
};

}  // namespace tutti::detail
