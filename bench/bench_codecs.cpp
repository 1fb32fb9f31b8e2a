// Codec and resampler cost per 20 ms frame: what one participant's encode/decode/resample adds
// to a tick. items_processed counts frames; bytes_processed counts PCM bytes in.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <vector>

#include "tutti/codecs/g711.h"
#include "tutti/codecs/g722.h"
#include "tutti/codecs/opus.h"
#include "tutti/codecs/registry.h"
#include "tutti/codecs/rt_resampler.h"

namespace {

using namespace tutti::codecs;

// Speech-band test signal: two tones plus a little deterministic noise, 20 ms at rate_hz.
std::vector<int16_t> speechlike_frame(int rate_hz, int frame_index = 0) {
  std::vector<int16_t> pcm(static_cast<size_t>(rate_hz / 50));
  uint32_t noise = 12345u + static_cast<uint32_t>(frame_index);
  for (size_t i = 0; i < pcm.size(); ++i) {
    const double t =
        static_cast<double>(i + pcm.size() * static_cast<size_t>(frame_index)) / rate_hz;
    noise = noise * 1664525u + 1013904223u;
    const double n = (static_cast<double>(noise >> 16) / 65536.0 - 0.5) * 0.02;
    const double s = 0.3 * std::sin(2 * std::numbers::pi * 220 * t) +
                     0.15 * std::sin(2 * std::numbers::pi * 1330 * t) + n;
    pcm[i] = static_cast<int16_t>(std::lround(s * 32767.0));
  }
  return pcm;
}

struct CodecCase {
  const char* name;
  int clock_rate_hz;
  int channels;
};

const CodecInfo& info_for(const CodecCase& c) { return *find(c.name, c.clock_rate_hz, c.channels); }

void encode_frames(benchmark::State& state, CodecCase c, int complexity) {
  EncoderOptions options;
  options.complexity = complexity;
  auto encoder = create_encoder(info_for(c), options);
  if (!encoder.ok()) {
    state.SkipWithError(encoder.status().message().c_str());
    return;
  }
  const auto pcm = speechlike_frame((*encoder)->sample_rate_hz());
  std::vector<uint8_t> payload(kOpusMaxPacketBytes);
  for (auto _ : state) {
    benchmark::DoNotOptimize((*encoder)->encode(pcm, payload));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(pcm.size() * sizeof(int16_t)));
}

void decode_frames(benchmark::State& state, CodecCase c, int complexity) {
  EncoderOptions options;
  options.complexity = complexity;
  auto encoder = create_encoder(info_for(c), options);
  auto decoder = create_decoder(info_for(c));
  if (!encoder.ok() || !decoder.ok()) {
    state.SkipWithError("codec setup failed");
    return;
  }
  // A second of real payloads so Opus decodes a varying signal, not one packet's steady state.
  std::vector<std::vector<uint8_t>> packets;
  std::vector<uint8_t> payload(kOpusMaxPacketBytes);
  for (int f = 0; f < 50; ++f) {
    const auto pcm = speechlike_frame((*encoder)->sample_rate_hz(), f);
    const int bytes = (*encoder)->encode(pcm, payload);
    packets.emplace_back(payload.begin(), payload.begin() + bytes);
  }
  std::vector<int16_t> out(static_cast<size_t>((*decoder)->sample_rate_hz() / 50));
  size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize((*decoder)->decode(packets[next], out));
    benchmark::ClobberMemory();
    next = next + 1 == packets.size() ? 0 : next + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size() * sizeof(int16_t)));
}

void resample_frames(benchmark::State& state, int in_hz, int out_hz) {
  auto resampler = RtResampler::create(in_hz, out_hz);
  if (!resampler.ok()) {
    state.SkipWithError(resampler.status().message().c_str());
    return;
  }
  const auto in = speechlike_frame(in_hz);
  std::vector<int16_t> out(static_cast<size_t>(out_hz / 50));
  for (auto _ : state) {
    benchmark::DoNotOptimize((*resampler)->process(in, out));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(in.size() * sizeof(int16_t)));
}

void resample_frames_float(benchmark::State& state, int in_hz, int out_hz) {
  auto resampler = RtResampler::create(in_hz, out_hz);
  if (!resampler.ok()) {
    state.SkipWithError(resampler.status().message().c_str());
    return;
  }
  const auto pcm = speechlike_frame(in_hz);
  std::vector<float> in(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) in[i] = pcm[i] / 32768.0f;
  std::vector<float> out(static_cast<size_t>(out_hz / 50));
  for (auto _ : state) {
    benchmark::DoNotOptimize((*resampler)->process(in, out));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(in.size() * sizeof(float)));
}

const CodecCase kPcmu{"PCMU", 8000, 1};
const CodecCase kPcma{"PCMA", 8000, 1};
const CodecCase kG722{"G722", 8000, 1};
const CodecCase kOpus{"opus", 48000, 2};

BENCHMARK_CAPTURE(encode_frames, pcmu_20ms, kPcmu, 0);
BENCHMARK_CAPTURE(decode_frames, pcmu_20ms, kPcmu, 0);
BENCHMARK_CAPTURE(encode_frames, pcma_20ms, kPcma, 0);
BENCHMARK_CAPTURE(decode_frames, pcma_20ms, kPcma, 0);
BENCHMARK_CAPTURE(encode_frames, g722_20ms, kG722, 0);
BENCHMARK_CAPTURE(decode_frames, g722_20ms, kG722, 0);
BENCHMARK_CAPTURE(encode_frames, opus48k_c5_20ms, kOpus, 5);
BENCHMARK_CAPTURE(encode_frames, opus48k_c10_20ms, kOpus, 10);
BENCHMARK_CAPTURE(decode_frames, opus48k_c5_20ms, kOpus, 5);
BENCHMARK_CAPTURE(decode_frames, opus48k_c10_20ms, kOpus, 10);
BENCHMARK_CAPTURE(resample_frames, 8k_to_48k_20ms, 8000, 48000);
BENCHMARK_CAPTURE(resample_frames, 16k_to_48k_20ms, 16000, 48000);
BENCHMARK_CAPTURE(resample_frames, 48k_to_8k_20ms, 48000, 8000);
BENCHMARK_CAPTURE(resample_frames_float, 8k_to_48k_20ms, 8000, 48000);
BENCHMARK_CAPTURE(resample_frames_float, 48k_to_8k_20ms, 48000, 8000);

}  // namespace

BENCHMARK_MAIN();
