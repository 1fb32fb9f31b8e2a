// Off-tick file import. Reads in blocks so a file whose header over-states its length is caught
// as truncated instead of trusted; libsndfile and libsamplerate errors are mapped to Status here.
#include "tutti/codecs/audio_file.h"

#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string_view>

namespace tutti::codecs {
namespace {

constexpr sf_count_t kBlockFrames = 4096;
constexpr sf_count_t kMaxFrames = sf_count_t{1} << 31;  // ~12 h at 48 kHz: refuse absurd headers

class SndFile {
 public:
  explicit SndFile(const std::string& path) : file_(sf_open(path.c_str(), SFM_READ, &info_)) {}
  ~SndFile() {
    if (file_ != nullptr) sf_close(file_);
  }
  SndFile(const SndFile&) = delete;
  SndFile& operator=(const SndFile&) = delete;

  SNDFILE* get() const { return file_; }
  const SF_INFO& info() const { return info_; }

  // libsndfile's own account of a file's problems (e.g. a data chunk longer than the file).
  std::string log() const {
    char buffer[2048] = {};
    sf_command(file_, SFC_GET_LOG_INFO, buffer, sizeof(buffer));
    return buffer;
  }

 private:
  SF_INFO info_{};
  SNDFILE* file_;
};

// libsndfile quietly shortens a WAV/AIFF whose data chunk runs past the end of the file and
// only says so in its log ("data : 88200 (should be 44078)"); we call that truncated.
bool data_chunk_is_short(const std::string& log) {
  size_t line_start = 0;
  while (line_start < log.size()) {
    size_t line_end = log.find('\n', line_start);
    if (line_end == std::string::npos) line_end = log.size();
    const std::string_view line(log.data() + line_start, line_end - line_start);
    if ((line.starts_with("data") || line.starts_with("SSND")) &&
        line.find("should be") != std::string_view::npos) {
      return true;
    }
    line_start = line_end + 1;
  }
  return false;
}

std::string error_prefix(const std::string& path) { return "import_audio_file(" + path + "): "; }

Result<std::vector<float>> read_mono(const SndFile& file, const std::string& path) {
  const SF_INFO& info = file.info();
  if (info.channels <= 0 || info.samplerate <= 0 || info.frames < 0 || info.frames > kMaxFrames) {
    return {ErrorCode::kCorruptData, error_prefix(path) + "implausible header"};
  }
  std::vector<float> mono;
  mono.reserve(static_cast<size_t>(info.frames));
  std::vector<float> block(static_cast<size_t>(kBlockFrames * info.channels));
  const float scale = 1.0f / static_cast<float>(info.channels);
  for (;;) {
    const sf_count_t got = sf_readf_float(file.get(), block.data(), kBlockFrames);
    if (got <= 0) break;
    for (sf_count_t f = 0; f < got; ++f) {
      float sum = 0.0f;
      for (int c = 0; c < info.channels; ++c) {
        sum += block[static_cast<size_t>(f * info.channels + c)];
      }
      mono.push_back(sum * scale);
    }
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR) {
    return {ErrorCode::kIoError, error_prefix(path) + sf_strerror(file.get())};
  }
  if (static_cast<sf_count_t>(mono.size()) < info.frames || data_chunk_is_short(file.log())) {
    return {ErrorCode::kIoError, error_prefix(path) + "file is truncated (header promises " +
                                     std::to_string(info.frames) + " frames)"};
  }
  if (mono.empty()) return {ErrorCode::kCorruptData, error_prefix(path) + "no audio frames"};
  return mono;
}

Result<std::vector<float>> convert_rate(std::vector<float> in, int from_hz, int to_hz,
                                        ImportQuality quality, const std::string& path) {
  if (from_hz == to_hz) return in;
  const double ratio = static_cast<double>(to_hz) / static_cast<double>(from_hz);
  std::vector<float> out(static_cast<size_t>(std::ceil(static_cast<double>(in.size()) * ratio)) +
                         16);
  SRC_DATA data{};
  data.data_in = in.data();
  data.input_frames = static_cast<long>(in.size());
  data.data_out = out.data();
  data.output_frames = static_cast<long>(out.size());
  data.src_ratio = ratio;
  const int converter =
      quality == ImportQuality::kBest ? SRC_SINC_BEST_QUALITY : SRC_SINC_MEDIUM_QUALITY;
  if (const int err = src_simple(&data, converter, 1); err != 0) {
    return {ErrorCode::kLibraryError, error_prefix(path) + "libsamplerate: " + src_strerror(err)};
  }
  out.resize(static_cast<size_t>(data.output_frames_gen));
  return out;
}

}  // namespace

Result<ImportedAudio> import_audio_file(const std::string& path, int target_rate_hz,
                                        ImportQuality quality) {
  if (target_rate_hz < 1000 || target_rate_hz > 384000) {
    return {ErrorCode::kInvalidArgument, error_prefix(path) + "target_rate_hz " +
                                             std::to_string(target_rate_hz) +
                                             " outside 1000..384000"};
  }
  std::error_code fs_error;
  if (!std::filesystem::is_regular_file(path, fs_error)) {
    return {ErrorCode::kNotFound, error_prefix(path) + "no such file"};
  }
  SndFile file(path);
  if (file.get() == nullptr) {
    const int err = sf_error(nullptr);
    const ErrorCode code = err == SF_ERR_SYSTEM ? ErrorCode::kNotFound : ErrorCode::kCorruptData;
    return {code, error_prefix(path) + "cannot open: " + sf_strerror(nullptr)};
  }
  auto mono = read_mono(file, path);
  if (!mono.ok()) return mono.status();
  auto converted =
      convert_rate(std::move(mono).value(), file.info().samplerate, target_rate_hz, quality, path);
  if (!converted.ok()) return converted.status();
  ImportedAudio audio;
  audio.samples = std::move(converted).value();
  audio.sample_rate_hz = target_rate_hz;
  audio.source_rate_hz = file.info().samplerate;
  audio.source_channels = file.info().channels;
  return audio;
}

Result<std::vector<int16_t>> import_audio_file_int16(const std::string& path, int target_rate_hz,
                                                     ImportQuality quality) {
  auto audio = import_audio_file(path, target_rate_hz, quality);
  if (!audio.ok()) return audio.status();
  const std::vector<float>& in = audio->samples;
  std::vector<int16_t> out(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const float scaled = std::clamp(in[i] * 32768.0f, -32768.0f, 32767.0f);
    out[i] = static_cast<int16_t>(std::lrint(scaled));
  }
  return out;
}

}  // namespace tutti::codecs
