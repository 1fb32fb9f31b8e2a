// Kernel throughput: every kernel x every ISA this CPU runs x the frame sizes the mixer uses
// (10 ms at 16 kHz, 48 kHz mono, 20 ms at 48 kHz, 20 ms stereo). Names: BM_<kernel>/<isa>/<n>.
// Bytes processed count every byte read and written per call.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tutti/simd/kernels.h"

namespace {

using tutti::simd::Isa;
using tutti::simd::KernelTable;

constexpr std::size_t kFrameSizes[] = {160, 480, 960, 1920};

// Inputs for one benchmark: quiet-ish audio that keeps accumulate far from overflow.
struct Buffers {
  explicit Buffers(std::size_t n) : a(n), b(n), out(n), pcm(n), pcm_out(n) {
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = 0.5f * static_cast<float>((i * 7919) % 2001) / 1000.0f - 0.5f;
      b[i] = 0.25f * static_cast<float>((i * 104729) % 2001) / 1000.0f - 0.25f;
      pcm[i] = static_cast<int16_t>((i * 2654435761u) % 65536 - 32768);
    }
  }
  std::vector<float> a, b, out;
  std::vector<int16_t> pcm, pcm_out;
};

struct KernelCase {
  const char* name;
  std::size_t bytes_per_sample;  // read + written
  std::function<void(const KernelTable&, Buffers&, std::size_t)> run;
};

const KernelCase kCases[] = {
    {"accumulate", 12,
     [](const KernelTable& t, Buffers& s, std::size_t n) {
       t.accumulate(s.out.data(), s.a.data(), n);
     }},
    {"accumulate_scaled", 12,
     [](const KernelTable& t, Buffers& s, std::size_t n) {
       t.accumulate_scaled(s.out.data(), s.a.data(), 0.5f, n);
     }},
    {"mix_minus", 12,
     [](const KernelTable& t, Buffers& s, std::size_t n) {
       t.mix_minus(s.out.data(), s.a.data(), s.b.data(), n);
     }},
    {"gain_ramp", 8,
     [](const KernelTable& t, Buffers& s, std::size_t n) {
       t.gain_ramp(s.out.data(), s.a.data(), 0.2f, 0.9f, n);
     }},
    {"int16_to_float", 6,
     [](const KernelTable& t, Buffers& s, std::size_t n) {
       t.int16_to_float(s.out.data(), s.pcm.data(), n);
     }},
    {"float_to_int16", 6,
     [](const KernelTable& t, Buffers& s, std::size_t n) {
       t.float_to_int16(s.pcm_out.data(), s.a.data(), n);
     }},
    {"sum_squares", 4,
     [](const KernelTable& t, Buffers& s, std::size_t n) {
       benchmark::DoNotOptimize(t.sum_squares(s.a.data(), n));
     }},
    {"peak", 4,
     [](const KernelTable& t, Buffers& s, std::size_t n) {
       benchmark::DoNotOptimize(t.peak(s.a.data(), n));
     }},
    {"sum_squares_int16", 2,
     [](const KernelTable& t, Buffers& s, std::size_t n) {
       benchmark::DoNotOptimize(t.sum_squares_int16(s.pcm.data(), n));
     }},
    {"soft_limit", 8,
     [](const KernelTable& t, Buffers& s, std::size_t n) {
       t.soft_limit(s.out.data(), s.a.data(), 0.25f, n);  // half of a is above the knee
     }},
};

void run_case(benchmark::State& state, const KernelCase& c, const KernelTable& table,
              std::size_t n) {
  Buffers buffers(n);
  for (auto _ : state) {
    c.run(table, buffers, n);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(c.bytes_per_sample * n));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}

void register_all() {
  for (const KernelCase& c : kCases) {
    for (Isa isa : {Isa::kScalar, Isa::kSse41, Isa::kAvx2, Isa::kAvx512, Isa::kNeon}) {
      const KernelTable* table = tutti::simd::kernels_for(isa);
      if (table == nullptr) continue;
      for (std::size_t n : kFrameSizes) {
        const std::string name = std::string("BM_") + c.name + "/" +
                                 std::string(tutti::simd::isa_name(isa)) + "/" + std::to_string(n);
        benchmark::RegisterBenchmark(name.c_str(), [&c, table, n](benchmark::State& state) {
          run_case(state, c, *table, n);
        });
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
