// FLAC and Ogg Opus recording through libsndfile: the writer thread's end of a non-WAV recording.
// Opened on the control thread (RecordingWriter::start), then used by the writer thread only.
//
// Crash safety: libsndfile hands every finished FLAC frame / Ogg page to write(2) as it is
// produced, and sync() (called every header_interval) fsync()s them. Both formats are
// self-delimiting, so a SIGKILLed file decodes up to its last complete frame / page; what is
// lost is what the encoders still buffer (FLAC: under one 4096-sample block plus libsndfile's
// buffer; Ogg Opus: the open page, whose latency is set to the writer's header_interval).
// The lengths in the headers (FLAC STREAMINFO total samples) are only filled in by close().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "tutti/status.h"

struct sf_private_tag;  // SNDFILE

namespace tutti::detail {

enum class RecordingFormat;

class SndfileSink {
 public:
  // Takes ownership of fd (closed by the sink, also on failure). page_latency_ms applies to
  // Ogg Opus. Refuses formats libsndfile cannot write at this rate (Opus: 8/12/16/24/48 kHz).
  static Result<std::unique_ptr<SndfileSink>> open(int fd, RecordingFormat format,
                                                   int sample_rate_hz, int page_latency_ms);
  // Whether libsndfile accepts this format at this rate (mono, 16-bit input).
  static bool supported(RecordingFormat format, int sample_rate_hz);
  ~SndfileSink();
  SndfileSink(const SndfileSink&) = delete;
  SndfileSink& operator=(const SndfileSink&) = delete;

  // Writer thread. Empty string on success, else the reason.
  std::string write(const int16_t* pcm, std::size_t samples);
  std::string sync();
  // Flushes the encoder, finalizes the headers and closes the file.
  std::string close();

 private:
  SndfileSink(sf_private_tag* file, int fd) : file_(file), fd_(fd) {}
  sf_private_tag* file_;
  int fd_;
};

}  // namespace tutti::detail
