// Every kernel on every ISA this CPU runs, against the scalar oracle: lengths that hit each tail
// path, destinations 0..3 floats past a 64-byte boundary, canaries around every buffer, and seeded
// random input salted with the values that break kernels (+-1.0, > 1, -32768, NaN, halves).
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <ostream>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "tables.h"
#include "tutti/simd/kernels.h"

namespace tutti::simd {

// So failures name the ISA instead of printing its bytes.
void PrintTo(Isa isa, std::ostream* os) { *os << isa_name(isa); }

namespace {

constexpr std::size_t kLengths[] = {0,  1,  2,  3,   7,   8,   15,  16,  17,  31,  33,
                                    63, 64, 65, 127, 160, 320, 481, 640, 960, 961, 1920};
constexpr std::size_t kMaxOffset = 3;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

uint32_t test_seed() {
  const char* env = std::getenv("TUTTI_TEST_SEED");
  return env != nullptr ? static_cast<uint32_t>(std::strtoul(env, nullptr, 0)) : 20240611u;
}

bool same(float a, float b) {
  return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b) ||
         (std::isnan(a) && std::isnan(b));
}
bool same(int16_t a, int16_t b) { return a == b; }

template <typename T>
constexpr T kCanary = T{};
template <>
constexpr float kCanary<float> = -1234.5678f;
template <>
constexpr int16_t kCanary<int16_t> = 0x5a5a;

// `contents` placed `offset` elements past a 64-byte boundary, with 64 bytes of canaries on each
// side that no kernel may touch.
template <typename T>
class Guarded {
 public:
  static constexpr std::size_t kGuard = 64 / sizeof(T);

  Guarded(std::span<const T> contents, std::size_t offset)
      : storage_(3 * kGuard + offset + contents.size(), kCanary<T>), size_(contents.size()) {
    const auto address = reinterpret_cast<std::uintptr_t>(storage_.data());
    begin_ = (64 - address % 64) % 64 / sizeof(T) + kGuard + offset;
    std::copy(contents.begin(), contents.end(), data());
  }
  Guarded(std::size_t n, std::size_t offset) : Guarded(std::vector<T>(n), offset) {}

  T* data() { return storage_.data() + begin_; }
  std::span<const T> span() const { return {storage_.data() + begin_, size_}; }

  bool canaries_intact() const {
    for (std::size_t i = 0; i < storage_.size(); ++i) {
      const bool inside = i >= begin_ && i < begin_ + size_;
      if (!inside && !same(storage_[i], kCanary<T>)) return false;
    }
    return true;
  }

 private:
  std::vector<T> storage_;
  std::size_t size_;
  std::size_t begin_ = 0;
};

// Uniform in [-amplitude, amplitude]; about one sample in eight replaced by a special value.
std::vector<float> random_floats(std::mt19937& rng, std::size_t n, float amplitude,
                                 std::span<const float> specials) {
  std::uniform_real_distribution<float> sample(-amplitude, amplitude);
  std::uniform_int_distribution<std::size_t> pick(0, 8 * specials.size() - 1);
  std::vector<float> out(n);
  for (float& x : out) {
    const std::size_t k = pick(rng);
    x = k < specials.size() ? specials[k] : sample(rng);
  }
  return out;
}

constexpr float kAudioSpecials[] = {1.0f, -1.0f, 0.0f, -0.0f, 1.5f, -2.0f, 0.999f, -1e-20f};
constexpr float kConversionSpecials[] = {1.0f,
                                         -1.0f,
                                         0.0f,
                                         -0.0f,
                                         1.5f,
                                         -3.0f,
                                         0.5f / 32768,
                                         1.5f / 32768,
                                         -2.5f / 32768,
                                         32767.5f / 32768,
                                         -32768.5f / 32768,
                                         kNaN,
                                         -kNaN,
                                         kInf,
                                         -kInf,
                                         1e30f};

std::vector<int16_t> random_int16(std::mt19937& rng, std::size_t n) {
  constexpr int16_t kSpecials[] = {-32768, 32767, 0, -1, 1};
  std::uniform_int_distribution<int> sample(-32768, 32767);
  std::uniform_int_distribution<std::size_t> pick(0, 40);
  std::vector<int16_t> out(n);
  for (int16_t& x : out) {
    const std::size_t k = pick(rng);
    x = static_cast<int16_t>(k < std::size(kSpecials) ? kSpecials[k] : sample(rng));
  }
  return out;
}

template <typename T>
void expect_same(std::span<const T> actual, std::span<const T> expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (!same(actual[i], expected[i])) {
      ADD_FAILURE() << "first mismatch at " << i << ": got " << actual[i] << ", scalar gives "
                    << expected[i];
      return;
    }
  }
}

// |actual - expected| <= tolerance[i] for every i.
void expect_within(std::span<const float> actual, std::span<const float> expected,
                   std::span<const float> tolerance) {
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (!(std::fabs(actual[i] - expected[i]) <= tolerance[i])) {
      ADD_FAILURE() << "first mismatch at " << i << ": got " << actual[i] << ", scalar gives "
                    << expected[i] << " (tolerance " << tolerance[i] << ")";
      return;
    }
  }
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::kScalar, Isa::kSse41, Isa::kAvx2, Isa::kAvx512, Isa::kNeon}) {
    if (kernels_for(isa) != nullptr) out.push_back(isa);
  }
  return out;
}

class KernelTest : public ::testing::TestWithParam<Isa> {
 protected:
  const KernelTable& table() const { return *kernels_for(GetParam()); }
  static const KernelTable& oracle() { return scalar_table(); }

  // Calls fn(n, dst_offset, src_offset, rng) for every length and offset; the trace names the
  // seed so a failure can be replayed with TUTTI_TEST_SEED.
  template <typename Fn>
  void sweep(Fn fn) {
    const uint32_t seed = test_seed();
    SCOPED_TRACE(::testing::Message() << "seed " << seed << " (set TUTTI_TEST_SEED to replay)");
    std::mt19937 rng(seed);
    for (std::size_t n : kLengths) {
      for (std::size_t offset = 0; offset <= kMaxOffset; ++offset) {
        const std::size_t src_offset = (3 * offset + 1) % (kMaxOffset + 1);
        SCOPED_TRACE(::testing::Message()
                     << "n=" << n << " dst offset=" << offset << " src offset=" << src_offset);
        fn(n, offset, src_offset, rng);
      }
    }
  }
};

TEST_P(KernelTest, AccumulateMatchesScalarOnEveryLength) {
  sweep([&](std::size_t n, std::size_t offset, std::size_t src_offset, std::mt19937& rng) {
    const auto initial = random_floats(rng, n, 2.0f, kAudioSpecials);
    Guarded<float> src(random_floats(rng, n, 1.0f, kAudioSpecials), src_offset);
    Guarded<float> want(initial, offset), got(initial, offset);
    oracle().accumulate(want.data(), src.data(), n);
    table().accumulate(got.data(), src.data(), n);
    expect_same(got.span(), want.span());
    EXPECT_TRUE(got.canaries_intact());
  });
}

TEST_P(KernelTest, AccumulateScaledMatchesScalarWithinFmaRounding) {
  sweep([&](std::size_t n, std::size_t offset, std::size_t src_offset, std::mt19937& rng) {
    const auto initial = random_floats(rng, n, 2.0f, kAudioSpecials);
    Guarded<float> src(random_floats(rng, n, 1.0f, kAudioSpecials), src_offset);
    Guarded<float> want(initial, offset), got(initial, offset);
    const float gain = 0.7071f;
    oracle().accumulate_scaled(want.data(), src.data(), gain, n);
    table().accumulate_scaled(got.data(), src.data(), gain, n);
    std::vector<float> tolerance(n);
    for (std::size_t i = 0; i < n; ++i) {
      tolerance[i] = 1e-6f * (std::fabs(initial[i]) + std::fabs(gain * src.span()[i]));
    }
    expect_within(got.span(), want.span(), tolerance);
    EXPECT_TRUE(got.canaries_intact());
  });
}

TEST_P(KernelTest, MixMinusMatchesScalarOnEveryLength) {
  sweep([&](std::size_t n, std::size_t offset, std::size_t src_offset, std::mt19937& rng) {
    Guarded<float> sum(random_floats(rng, n, 4.0f, kAudioSpecials), src_offset);
    Guarded<float> own(random_floats(rng, n, 1.0f, kAudioSpecials), (src_offset + 1) % 4);
    Guarded<float> want(n, offset), got(n, offset);
    oracle().mix_minus(want.data(), sum.data(), own.data(), n);
    table().mix_minus(got.data(), sum.data(), own.data(), n);
    expect_same(got.span(), want.span());
    EXPECT_TRUE(got.canaries_intact());
  });
}

TEST_P(KernelTest, GainRampMatchesScalarWithinFmaRounding) {
  constexpr float kRamps[][2] = {
      {0.0f, 1.0f}, {1.0f, 0.0f}, {1.0f, -1.0f}, {0.25f, 2.0f}, {1.0f, 1.0f}};
  sweep([&](std::size_t n, std::size_t offset, std::size_t src_offset, std::mt19937& rng) {
    Guarded<float> src(random_floats(rng, n, 1.0f, kAudioSpecials), src_offset);
    for (const auto& ramp : kRamps) {
      Guarded<float> want(n, offset), got(n, offset);
      oracle().gain_ramp(want.data(), src.data(), ramp[0], ramp[1], n);
      table().gain_ramp(got.data(), src.data(), ramp[0], ramp[1], n);
      const float gain_bound = std::max(std::fabs(ramp[0]), std::fabs(ramp[1]));
      std::vector<float> tolerance(n);
      for (std::size_t i = 0; i < n; ++i)
        tolerance[i] = 1e-6f * gain_bound * std::fabs(src.span()[i]);
      expect_within(got.span(), want.span(), tolerance);
      EXPECT_TRUE(got.canaries_intact());
    }
  });
}

TEST_P(KernelTest, GainRampStartsAtStartGainAndStopsOneStepShortOfEnd) {
  constexpr std::size_t kN = 960;
  const std::vector<float> ones(kN, 1.0f);
  std::vector<float> out(kN);
  table().gain_ramp(out.data(), ones.data(), 0.5f, 1.5f, kN);
  EXPECT_EQ(out[0], 0.5f);
  EXPECT_NEAR(out[kN / 2], 1.0f, 1e-6f);
  EXPECT_NEAR(out[kN - 1], 1.5f - 1.0f / kN, 1e-6f);  // the next frame starts at exactly 1.5
  EXPECT_TRUE(std::is_sorted(out.begin(), out.end()));
}

TEST_P(KernelTest, Int16ToFloatIsExactDivisionBy32768) {
  sweep([&](std::size_t n, std::size_t offset, std::size_t src_offset, std::mt19937& rng) {
    Guarded<int16_t> src(random_int16(rng, n), src_offset);
    Guarded<float> want(n, offset), got(n, offset);
    oracle().int16_to_float(want.data(), src.data(), n);
    table().int16_to_float(got.data(), src.data(), n);
    expect_same(got.span(), want.span());
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(got.span()[i], static_cast<float>(src.span()[i] / 32768.0)) << "at " << i;
    }
    EXPECT_TRUE(got.canaries_intact());
  });
}

TEST_P(KernelTest, FloatToInt16MatchesScalarOnEveryLength) {
  sweep([&](std::size_t n, std::size_t offset, std::size_t src_offset, std::mt19937& rng) {
    Guarded<float> src(random_floats(rng, n, 1.2f, kConversionSpecials), src_offset);
    Guarded<int16_t> want(n, offset), got(n, offset);
    oracle().float_to_int16(want.data(), src.data(), n);
    table().float_to_int16(got.data(), src.data(), n);
    expect_same(got.span(), want.span());
    EXPECT_TRUE(got.canaries_intact());
  });
}

// Runs float_to_int16 on `cases` repeated 40 times, so each value lands in vector bodies and tails.
void expect_conversions(const KernelTable& table,
                        std::span<const std::pair<float, int16_t>> cases) {
  std::vector<float> in;
  std::vector<int16_t> want;
  for (int rep = 0; rep < 40; ++rep) {
    for (const auto& [x, y] : cases) {
      in.push_back(x);
      want.push_back(y);
    }
  }
  std::vector<int16_t> got(in.size());
  table.float_to_int16(got.data(), in.data(), in.size());
  expect_same<int16_t>(got, want);
}

TEST_P(KernelTest, FloatToInt16SaturatesNeverWraps) {
  const std::pair<float, int16_t> cases[] = {
      {1.0f, 32767}, {-1.0f, -32768},          {1.0001f, 32767}, {-1.0001f, -32768},
      {2.0f, 32767}, {-2.0f, -32768},          {1e30f, 32767},   {-1e30f, -32768},
      {kInf, 32767}, {-kInf, -32768},          {kNaN, 0},        {-kNaN, 0},
      {0.0f, 0},     {32767.5f / 32768, 32767}};
  expect_conversions(table(), cases);
}

TEST_P(KernelTest, FloatToInt16RoundsHalfToEven) {
  const std::pair<float, int16_t> cases[] = {
      {0.5f / 32768, 0},     {1.5f / 32768, 2},     {2.5f / 32768, 2},          {-0.5f / 32768, 0},
      {-1.5f / 32768, -2},   {-2.5f / 32768, -2},   {0.49f / 32768, 0},         {0.51f / 32768, 1},
      {100.5f / 32768, 100}, {101.5f / 32768, 102}, {-32767.5f / 32768, -32768}};
  expect_conversions(table(), cases);
}

TEST_P(KernelTest, SumSquaresMatchesScalarWithinRounding) {
  sweep([&](std::size_t n, std::size_t, std::size_t src_offset, std::mt19937& rng) {
    Guarded<float> src(random_floats(rng, n, 1.0f, kAudioSpecials), src_offset);
    const float want = oracle().sum_squares(src.data(), n);
    EXPECT_NEAR(table().sum_squares(src.data(), n), want, 1e-5f * want);
  });
}

TEST_P(KernelTest, PeakMatchesScalarOnEveryLength) {
  sweep([&](std::size_t n, std::size_t, std::size_t src_offset, std::mt19937& rng) {
    Guarded<float> src(random_floats(rng, n, 1.0f, kAudioSpecials), src_offset);
    EXPECT_TRUE(same(table().peak(src.data(), n), oracle().peak(src.data(), n)));
  });
  EXPECT_EQ(table().peak(nullptr, 0), 0.0f);
}

TEST_P(KernelTest, PeakFindsASpikeAnywhereAndIgnoresNaN) {
  constexpr std::size_t kN = 37;
  for (std::size_t at = 0; at < kN; ++at) {
    std::vector<float> x(kN, 0.25f);
    x[(at + 5) % kN] = kNaN;
    x[at] = -0.75f;
    EXPECT_EQ(table().peak(x.data(), kN), 0.75f) << "spike at " << at;
  }
}

TEST_P(KernelTest, SumSquaresInt16IsExactEvenAtFullScale) {
  sweep([&](std::size_t n, std::size_t, std::size_t src_offset, std::mt19937& rng) {
    Guarded<int16_t> src(random_int16(rng, n), src_offset);
    int64_t exact = 0;
    for (int16_t x : src.span()) exact += int64_t{x} * x;
    EXPECT_EQ(oracle().sum_squares_int16(src.data(), n), exact);
    EXPECT_EQ(table().sum_squares_int16(src.data(), n), exact);
  });
  const std::vector<int16_t> full_scale(1920, -32768);
  EXPECT_EQ(table().sum_squares_int16(full_scale.data(), full_scale.size()), int64_t{1920} << 30);
}

constexpr float kLimiterSpecials[] = {1.0f, -1.0f, 0.5f, -0.9f, 4.0f, -1e30f, kInf, -kInf};

TEST_P(KernelTest, SoftLimitMatchesScalarOnEveryLength) {
  sweep([&](std::size_t n, std::size_t offset, std::size_t src_offset, std::mt19937& rng) {
    const auto input = random_floats(rng, n, 3.0f, kLimiterSpecials);
    for (float knee : {0.5f, 0.9f}) {
      Guarded<float> src(input, src_offset);
      Guarded<float> want(n, offset), got(n, offset), in_place(input, offset);
      oracle().soft_limit(want.data(), src.data(), knee, n);
      table().soft_limit(got.data(), src.data(), knee, n);
      table().soft_limit(in_place.data(), in_place.data(), knee, n);
      expect_same(got.span(), want.span());
      expect_same(in_place.span(), want.span());
      EXPECT_TRUE(got.canaries_intact());
      EXPECT_TRUE(in_place.canaries_intact());
    }
  });
}

TEST_P(KernelTest, SoftLimitIsIdentityBelowKneeAndNeverReachesFullScale) {
  std::vector<float> x;
  for (float v = -8.0f; v <= 8.0f; v += 1.0f / 1024) x.push_back(v);
  x.insert(x.end(), {1e10f, 1e30f, kInf});
  for (float knee : {0.25f, 0.5f, 0.9f, 0.99f}) {
    SCOPED_TRACE(::testing::Message() << "knee " << knee);
    std::vector<float> y(x.size());
    table().soft_limit(y.data(), x.data(), knee, x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (std::fabs(x[i]) <= knee) {
        ASSERT_TRUE(same(y[i], x[i])) << x[i] << " -> " << y[i];
      } else {
        ASSERT_LT(std::fabs(y[i]), 1.0f) << x[i] << " -> " << y[i];
        ASSERT_GE(std::fabs(y[i]), knee) << x[i] << " -> " << y[i];
        ASSERT_EQ(std::signbit(y[i]), std::signbit(x[i]));
      }
      if (i > 0) {
        ASSERT_GE(y[i], y[i - 1]) << "not monotonic at " << x[i];
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EverySupportedIsa, KernelTest, ::testing::ValuesIn(supported_isas()),
                         [](const ::testing::TestParamInfo<Isa>& param) {
                           return std::string(isa_name(param.param));
                         });

TEST(KernelSelection, EnvironmentCapsTheLevel) {
  EXPECT_EQ(select_isa(Isa::kAvx512, "sse41"), Isa::kSse41);
  EXPECT_EQ(select_isa(Isa::kAvx512, "avx2"), Isa::kAvx2);
  EXPECT_EQ(select_isa(Isa::kAvx512, "scalar"), Isa::kScalar);
  EXPECT_EQ(select_isa(Isa::kAvx2, "avx2"), Isa::kAvx2);
  EXPECT_EQ(select_isa(Isa::kNeon, "scalar"), Isa::kScalar);
}

TEST(KernelSelection, EnvironmentNeverRaisesTheLevel) {
  EXPECT_EQ(select_isa(Isa::kSse41, "avx512"), Isa::kSse41);
  EXPECT_EQ(select_isa(Isa::kScalar, "avx2"), Isa::kScalar);
}

TEST(KernelSelection, UnsetUnknownOrForeignValueMeansBestSupported) {
  EXPECT_EQ(select_isa(Isa::kAvx2, nullptr), Isa::kAvx2);
  EXPECT_EQ(select_isa(Isa::kAvx2, ""), Isa::kAvx2);
  EXPECT_EQ(select_isa(Isa::kAvx2, "AVX2"), Isa::kAvx2);
  EXPECT_EQ(select_isa(Isa::kAvx512, "sse2"), Isa::kAvx512);
  EXPECT_EQ(select_isa(Isa::kAvx512, "neon"), Isa::kAvx512);
  EXPECT_EQ(select_isa(Isa::kNeon, "avx2"), Isa::kNeon);
}

TEST(KernelSelection, IsaNamesRoundTrip) {
  for (Isa isa : {Isa::kScalar, Isa::kSse41, Isa::kAvx2, Isa::kAvx512, Isa::kNeon}) {
    Isa parsed{};
    ASSERT_TRUE(parse_isa(isa_name(isa), &parsed)) << isa_name(isa);
    EXPECT_EQ(parsed, isa);
  }
  Isa untouched = Isa::kAvx2;
  EXPECT_FALSE(parse_isa("sse4.1", &untouched));
  EXPECT_EQ(untouched, Isa::kAvx2);
}

TEST(KernelSelection, TablesExistExactlyWhereTheCpuSupportsThem) {
  for (Isa isa : {Isa::kScalar, Isa::kSse41, Isa::kAvx2, Isa::kAvx512, Isa::kNeon}) {
    const KernelTable* table = kernels_for(isa);
    EXPECT_EQ(table != nullptr, cpu_supports(isa)) << isa_name(isa);
    if (table != nullptr) {
      EXPECT_EQ(table->isa, isa);
    }
  }
  EXPECT_TRUE(cpu_supports(Isa::kScalar));
  EXPECT_EQ(kernels_for(kernels().isa), &kernels());
}

}  // namespace
}  // namespace tutti::simd
