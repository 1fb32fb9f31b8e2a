// The real-time contract, checked: after create, encode/decode/conceal/resample never allocate.
// Allocations are counted by tests/support/alloc_counter (malloc & co. replaced), which also
// catches operator new and the C libraries; not built under sanitizers, which own malloc.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <vector>

#include "support/alloc_counter.h"
#include "support/signals.h"
#include "tutti/codecs/registry.h"
#include "tutti/codecs/rt_resampler.h"

namespace tutti::codecs {
namespace {

constexpr int kTicks = 3000;  // one minute of 20 ms frames

TEST(RealTimeContract, CodecsDoNotAllocateAfterCreate) {
  for (const CodecInfo& info : registered_codecs()) {
    if (!info.is_audio) continue;
    SCOPED_TRACE(std::string(info.encoding_name));
    EncoderOptions options;
    options.inband_fec = true;
    options.expected_loss_pct = 10;
    options.dtx = true;
    auto encoder = create_encoder(info, options);
    auto decoder = create_decoder(info);
    ASSERT_TRUE(encoder.ok() && decoder.ok());
    const size_t frame = static_cast<size_t>(info.sample_rate_hz / 50);
    std::vector<int16_t> pcm(frame), out(frame);
    std::vector<uint8_t> payload(1500);
    test::ToneGenerator tone(440.0, 0.3, info.sample_rate_hz);

    test::alloc::arm();
    for (int tick = 0; tick < kTicks; ++tick) {
      tone.fill(std::span<int16_t>(pcm));
      if (tick % 100 > 90) std::fill(pcm.begin(), pcm.end(), int16_t{0});  // let DTX kick in
      const int bytes = (*encoder)->encode(pcm, payload);
      ASSERT_GT(bytes, 0);
      const std::span<const uint8_t> packet(payload.data(), static_cast<size_t>(bytes));
      if (tick % 17 == 5) {
        (*decoder)->conceal(out);
      } else if (tick % 17 == 6) {
        (*decoder)->decode_fec(packet, out);
        (*decoder)->decode(packet, out);
      } else {
        (*decoder)->decode(packet, out);
      }
    }
    (*encoder)->reset();
    (*decoder)->reset();
    test::alloc::disarm();
    EXPECT_EQ(test::alloc::count(), 0u);
  }
}

TEST(RealTimeContract, ResamplerDoesNotAllocateAfterCreate) {
  auto up = RtResampler::create(8000, 48000);
  auto down = RtResampler::create(48000, 16000);
  ASSERT_TRUE(up.ok() && down.ok());
  std::vector<int16_t> narrow(160), wide(960), back(320);
  std::vector<float> narrow_f(160), wide_f(960);
  test::alloc::arm();
  for (int tick = 0; tick < kTicks; ++tick) {
    ASSERT_EQ((*up)->process(narrow, wide), 960);
    ASSERT_EQ((*down)->process(wide, back), 320);
    ASSERT_EQ((*up)->process(narrow_f, wide_f), 960);
  }
  (*up)->reset();
  test::alloc::disarm();
    EXPECT_EQ(test::alloc::count(), 0u);
}

TEST(RealTimeContract, CounterSeesAllocations) {
  test::alloc::arm();
  auto resampler = RtResampler::create(8000, 48000);
  ASSERT_TRUE(resampler.ok());
  test::alloc::disarm();
  EXPECT_GT(test::alloc::count(), 0u);
}

}  // namespace
}  // namespace tutti::codecs
