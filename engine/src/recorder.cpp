#include "recorder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "recorder_sndfile.h"

namespace tutti::detail {
namespace {

constexpr std::size_t kHeaderBytes = 44;
constexpr uint64_t kMaxDataBytes = 0xFFFFFFFFull - (kHeaderBytes - 8);  // RIFF size is 32-bit
constexpr int kMaxNameAttempts = 1000;

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

void put_u16(unsigned char* p, uint32_t v) {
  p[0] = static_cast<unsigned char>(v & 0xFF);
  p[1] = static_cast<unsigned char>((v >> 8) & 0xFF);
}
void put_u32(unsigned char* p, uint32_t v) {
  put_u16(p, v & 0xFFFF);
  put_u16(p + 2, v >> 16);
}

// Canonical 44-byte PCM header: 16-bit mono, sizes as given (0 while streaming).
void fill_header(unsigned char* h, int sample_rate_hz, uint32_t data_bytes) {
  std::memcpy(h, "RIFF", 4);
  put_u32(h + 4, static_cast<uint32_t>(kHeaderBytes - 8) + data_bytes);
  std::memcpy(h + 8, "WAVEfmt ", 8);
  put_u32(h + 16, 16);  // fmt chunk size
  put_u16(h + 20, 1);   // PCM
  put_u16(h + 22, 1);   // mono
  put_u32(h + 24, static_cast<uint32_t>(sample_rate_hz));
  put_u32(h + 28, static_cast<uint32_t>(sample_rate_hz) * 2);  // byte rate
  put_u16(h + 32, 2);                                          // block align
  put_u16(h + 34, 16);                                         // bits per sample
  std::memcpy(h + 36, "data", 4);
  put_u32(h + 40, data_bytes);
}

// pwrite until done; 0 or the errno.
int write_all(int fd, const void* data, std::size_t bytes, uint64_t offset) {
  const auto* p = static_cast<const unsigned char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::pwrite(fd, p, bytes, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;
    p += n;
    bytes -= static_cast<std::size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return 0;
}

bool valid_rate(int hz) { return hz >= 8000 && hz <= 192000; }

}  // namespace

bool RecordingTap::try_write(const int16_t* pcm, std::size_t samples) noexcept {
  RecordingFrame* slot =
      samples == 0 || samples > kMaxFrameSamples ? nullptr : ring_.try_prepare_push();
  if (slot == nullptr) {
    dropped_.store(dropped_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return false;
  }
  slot->samples = static_cast<uint32_t>(samples);
  std::memcpy(slot->pcm, pcm, samples * sizeof(int16_t));
  ring_.commit_push();
  return true;
}

const char* recording_extension(RecordingFormat format) noexcept {
  switch (format) {
    case RecordingFormat::kFlac:
      return "flac";
    case RecordingFormat::kOggOpus:
      return "opus";
    case RecordingFormat::kWav:
      break;
  }
  return "wav";
}

std::string recording_file_name(RoomId room, std::optional<ParticipantId> participant,
                                int64_t unix_ms, RecordingFormat format) {
  std::string name = "room-" + std::to_string(room.value);
  if (participant) name += "-participant-" + std::to_string(participant->value);
  return name + "-" + std::to_string(unix_ms) + "." + recording_extension(format);
}

Recording::Recording(std::string path, int fd, int sample_rate_hz, std::size_t ring_frames,
                     std::unique_ptr<SndfileSink> sink)
    : path_(std::move(path)),
      sample_rate_hz_(sample_rate_hz),
      tap_(ring_frames, this),
      fd_(fd),
      sink_(std::move(sink)) {}

Recording::~Recording() = default;

std::string Recording::error() const {
  std::lock_guard lock(error_mutex_);
  return error_;
}

RecordingWriter::RecordingWriter(RecordingWriterOptions options)
    : options_(options), thread_([this] { run(); }) {}

RecordingWriter::~RecordingWriter() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Result<std::shared_ptr<Recording>> RecordingWriter::start(const RecordingSpec& spec) {
  if (!valid_rate(spec.sample_rate_hz) || spec.ring_frames == 0) {
    return Status(StatusCode::kInvalidArgument,
                  "recording needs a sample rate in 8000..192000 Hz and a non-empty ring (got " +
                      std::to_string(spec.sample_rate_hz) + " Hz, " +
                      std::to_string(spec.ring_frames) + " frames)");
  }
  if (spec.format != RecordingFormat::kWav &&
      !SndfileSink::supported(spec.format, spec.sample_rate_hz)) {
    return Status(StatusCode::kInvalidArgument,
                  std::string("recording format ") + recording_extension(spec.format) +
                      " does not support " + std::to_string(spec.sample_rate_hz) +
                      " Hz (Ogg Opus takes 8000, 12000, 16000, 24000 or 48000 Hz)");
  }
  struct stat st {};
  if (::stat(spec.directory.c_str(), &st) != 0) {
    const int err = errno;
    return Status(StatusCode::kInvalidArgument, "recording directory '" + spec.directory +
                                                    "' does not exist: " + errno_text(err));
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status(StatusCode::kInvalidArgument,
                  "recording directory '" + spec.directory + "' is not a directory");
  }
  int64_t unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  // Two recordings of the same ids in one millisecond: take the next free millisecond.
  for (int attempt = 0; attempt < kMaxNameAttempts; ++attempt, ++unix_ms) {
    std::string path = spec.directory + "/" +
                       recording_file_name(spec.room, spec.participant, unix_ms, spec.format);
    // libsndfile reads back what it wrote (FLAC, Ogg), so those files are opened read-write.
    const int access = spec.format == RecordingFormat::kWav ? O_WRONLY : O_RDWR;
    const int fd = ::open(path.c_str(), access | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      return adopt(std::move(path), fd, spec.sample_rate_hz, spec.ring_frames, spec.format);
    }
    if (const int err = errno; err != EEXIST) {
      return Status(StatusCode::kFailedPrecondition,
                    "cannot create recording '" + path + "': " + errno_text(err));
    }
  }
  return Status(StatusCode::kResourceExhausted,
                "no free recording file name in '" + spec.directory + "'");
}

Result<std::shared_ptr<Recording>> RecordingWriter::start_on_path_for_test(
    const std::string& path, int sample_rate_hz, std::size_t ring_frames) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return Status(StatusCode::kFailedPrecondition,
                  "cannot open '" + path + "': " + errno_text(err));
  }
  return adopt(path, fd, sample_rate_hz, ring_frames);
}

Result<std::shared_ptr<Recording>> RecordingWriter::adopt(std::string path, int fd,
                                                          int sample_rate_hz,
                                                          std::size_t ring_frames,
                                                          RecordingFormat format) {
  std::unique_ptr<SndfileSink> sink;
  if (format != RecordingFormat::kWav) {
    const auto latency_ms = static_cast<int>(options_.header_interval.count());
    auto opened = SndfileSink::open(fd, format, sample_rate_hz, latency_ms);  // owns fd now
    if (!opened.is_ok()) {
      ::unlink(path.c_str());
      return Status(opened.status().code(),
                    "recording '" + path + "': " + opened.status().message());
    }
    sink = std::move(opened.value());
    fd = -1;
  }
  auto recording = std::make_shared<Recording>(std::move(path), fd, sample_rate_hz, ring_frames,
                                               std::move(sink));
  {
    std::lock_guard lock(mutex_);
    active_.push_back(recording);
  }
  wake_.notify_all();
  return recording;
}

Status RecordingWriter::stop(Recording& recording) {
  std::unique_lock lock(mutex_);
  recording.stop_requested_ = true;
  wake_.notify_all();
  done_.wait(lock, [&] { return recording.finished_; });
  lock.unlock();
  if (recording.state() == RecordingState::kFailed) {
    return Status(StatusCode::kInternal,
                  "recording '" + recording.path() + "' failed: " + recording.error());
  }
  return Status::ok();
}

void RecordingWriter::run() {
  // Snapshots reused every round: the loop allocates only when more recordings run at once
  // than ever before.
  std::vector<std::shared_ptr<Recording>> serving;
  std::vector<char> stopping;
  std::unique_lock lock(mutex_);
  for (;;) {
    serving.assign(active_.begin(), active_.end());
    stopping.clear();
    for (const auto& r : serving) stopping.push_back(quit_ || r->stop_requested_);
    const bool quitting = quit_;
    lock.unlock();

    const auto now = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < serving.size(); ++i) service(*serving[i], stopping[i], now);

    lock.lock();
    bool any_finished = false;
    for (std::size_t i = 0; i < serving.size(); ++i) {
      if (!stopping[i]) continue;
      serving[i]->finished_ = true;
      std::erase(active_, serving[i]);
      any_finished = true;
    }
    if (any_finished) done_.notify_all();
    if (quitting && active_.empty()) return;
    wake_.wait_for(lock, options_.poll_interval, [&] {
      if (quit_) return true;
      for (const auto& r : active_) {
        if (r->stop_requested_) return true;
      }
      return false;
    });
  }
}

void RecordingWriter::service(Recording& r, bool stopping,
                              std::chrono::steady_clock::time_point now) {
  if (r.sink_ != nullptr) {
    service_sink(r, stopping, now);
    return;
  }
  if (r.state() == RecordingState::kRecording && !r.header_written_) {
    unsigned char header[kHeaderBytes];
    fill_header(header, r.sample_rate_hz_, 0);
    if (const int err = write_all(r.fd_, header, sizeof header, 0); err != 0) {
      fail(r, "write header", err);
    }
    r.header_written_ = true;
    r.last_header_ = now;
  }
  // Drain everything, even after a failure, so the tick's ring never fills because of us.
  while (RecordingFrame* frame = r.tap_.ring().front()) {
    if (r.state() == RecordingState::kRecording) {
      const uint64_t bytes = frame->samples * sizeof(int16_t);
      if (r.data_bytes_ + bytes > kMaxDataBytes) {
        fail(r, "write", EFBIG);
      } else if (const int err = write_all(r.fd_, frame->pcm, bytes, kHeaderBytes + r.data_bytes_);
                 err != 0) {
        fail(r, "write", err);
      } else {
        r.data_bytes_ += bytes;
        r.samples_written_.store(r.data_bytes_ / sizeof(int16_t), std::memory_order_relaxed);
      }
    }
    r.tap_.ring().pop();
  }
  if (stopping) {
    if (r.state() == RecordingState::kRecording) {
      update_header(r);
      if (r.state() == RecordingState::kRecording && ::fdatasync(r.fd_) != 0) {
        fail(r, "fdatasync", errno);
      }
    }
    if (r.fd_ >= 0) ::close(r.fd_);
    r.fd_ = -1;
    if (r.state() == RecordingState::kRecording) {
      r.state_.store(RecordingState::kStopped, std::memory_order_release);
    }
    return;
  }
  if (r.state() == RecordingState::kRecording && now - r.last_header_ >= options_.header_interval) {
    update_header(r);
    r.last_header_ = now;
  }
}

// Sync the samples first, then let the header claim them: the header never covers bytes that
// are not on disk. The header itself reaches the disk with the next sync.
void RecordingWriter::update_header(Recording& r) {
  if (r.header_bytes_ == r.data_bytes_) return;
  if (::fdatasync(r.fd_) != 0 && errno != EINVAL) {  // EINVAL: a device that cannot sync
    fail(r, "fdatasync", errno);
    return;
  }
  const auto data_bytes = static_cast<uint32_t>(r.data_bytes_);
  unsigned char header[kHeaderBytes];
  fill_header(header, r.sample_rate_hz_, data_bytes);
  if (const int err = write_all(r.fd_, header + 4, 4, 4); err != 0) {
    fail(r, "write header", err);
    return;
  }
  if (const int err = write_all(r.fd_, header + 40, 4, 40); err != 0) {
    fail(r, "write header", err);
    return;
  }
  r.header_bytes_ = r.data_bytes_;
}

// FLAC / Ogg Opus: libsndfile writes whole frames / pages as they fill; every header_interval
// they are fsync()ed. Same draining rule as WAV: after a failure the tap is still emptied.
void RecordingWriter::service_sink(Recording& r, bool stopping,
                                   std::chrono::steady_clock::time_point now) {
  if (!r.header_written_) {
    r.header_written_ = true;
    r.last_header_ = now;
  }
  while (RecordingFrame* frame = r.tap_.ring().front()) {
    if (r.state() == RecordingState::kRecording) {
      if (std::string err = r.sink_->write(frame->pcm, frame->samples); !err.empty()) {
        fail(r, "write", err);
      } else {
        r.data_bytes_ += frame->samples * sizeof(int16_t);
        r.samples_written_.store(r.data_bytes_ / sizeof(int16_t), std::memory_order_relaxed);
      }
    }
    r.tap_.ring().pop();
  }
  if (stopping) {
    std::string err = r.sink_->close();
    if (r.state() == RecordingState::kRecording) {
      if (!err.empty()) {
        fail(r, "close", err);
      } else {
        r.state_.store(RecordingState::kStopped, std::memory_order_release);
      }
    }
    return;
  }
  if (r.state() == RecordingState::kRecording && now - r.last_header_ >= options_.header_interval) {
    if (r.header_bytes_ != r.data_bytes_) {
      if (std::string err = r.sink_->sync(); !err.empty()) fail(r, "sync", err);
      r.header_bytes_ = r.data_bytes_;
    }
    r.last_header_ = now;
  }
}

void RecordingWriter::fail(Recording& r, const char* what, int err) {
  fail(r, what, errno_text(err));
}

void RecordingWriter::fail(Recording& r, const char* what, const std::string& why) {
  {
    std::lock_guard lock(r.error_mutex_);
    r.error_ = std::string(what) + ": " + why;
  }
  r.state_.store(RecordingState::kFailed, std::memory_order_release);
}

}  // namespace tutti::detail
