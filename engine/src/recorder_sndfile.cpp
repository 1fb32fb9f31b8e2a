#include "recorder_sndfile.h"

#include <sndfile.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "recorder.h"

namespace tutti::detail {
namespace {

int sf_format_of(RecordingFormat format) {
  switch (format) {
    case RecordingFormat::kFlac:
      return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    case RecordingFormat::kOggOpus:
      return SF_FORMAT_OGG | SF_FORMAT_OPUS;
    case RecordingFormat::kWav:
      break;
  }
  return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
}

SF_INFO info_for(RecordingFormat format, int sample_rate_hz) {
  SF_INFO info{};
  info.samplerate = sample_rate_hz;
  info.channels = 1;
  info.format = sf_format_of(format);
  return info;
}

}  // namespace

bool SndfileSink::supported(RecordingFormat format, int sample_rate_hz) {
  // sf_format_check accepts any rate for Ogg Opus; its encoder then refuses all but these.
  if (format == RecordingFormat::kOggOpus && sample_rate_hz != 8000 && sample_rate_hz != 12000 &&
      sample_rate_hz != 16000 && sample_rate_hz != 24000 && sample_rate_hz != 48000) {
    return false;
  }
  SF_INFO info = info_for(format, sample_rate_hz);
  return sf_format_check(&info) == SF_TRUE;
}

Result<std::unique_ptr<SndfileSink>> SndfileSink::open(int fd, RecordingFormat format,
                                                       int sample_rate_hz, int page_latency_ms) {
  SF_INFO info = info_for(format, sample_rate_hz);
  // The sink closes fd itself after sf_close: libsndfile's ownership of a descriptor whose
  // open failed is murky.
  SNDFILE* file = sf_open_fd(fd, SFM_WRITE, &info, SF_FALSE);
  if (file == nullptr) {
    ::close(fd);
    return Status(StatusCode::kFailedPrecondition,
                  std::string("libsndfile cannot open the recording: ") + sf_strerror(nullptr));
  }
  if (format == RecordingFormat::kOggOpus) {
    double latency = page_latency_ms;
    sf_command(file, SFC_SET_OGG_PAGE_LATENCY_MS, &latency, sizeof latency);
  }
  return std::unique_ptr<SndfileSink>(new SndfileSink(file, fd));
}

SndfileSink::~SndfileSink() { (void)close(); }

std::string SndfileSink::write(const int16_t* pcm, std::size_t samples) {
  const auto n = static_cast<sf_count_t>(samples);
  if (sf_write_short(file_, pcm, n) != n) return sf_strerror(file_);
  return {};
}

std::string SndfileSink::sync() {
  sf_write_sync(file_);
  if (sf_error(file_) != SF_ERR_NO_ERROR) return sf_strerror(file_);
  return {};
}

std::string SndfileSink::close() {
  SNDFILE* file = file_;
  file_ = nullptr;
  if (file == nullptr) return {};
  std::string out;
  if (const int err = sf_close(file); err != 0) out = sf_error_number(err);
  if (::fsync(fd_) != 0 && out.empty() && errno != EINVAL) out = std::strerror(errno);
  if (::close(fd_) != 0 && out.empty()) out = std::strerror(errno);
  fd_ = -1;
  return out;
}

}  // namespace tutti::detail
