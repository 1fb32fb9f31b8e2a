// Issue 4, behaviour 3: each caller hears every other caller and never itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

// Spaced by 130 Hz, no tone a harmonic of another; 0.05 full scale each, so ten of them sum
// without reaching the limiter.
constexpr double kToneHz[] = {420, 550, 680, 810, 940, 1070, 1200, 1330, 1460, 1590};
constexpr double kAmplitude = 0.05;

class MixMinus : public ServeFixture, public ::testing::WithParamInterface<int> {
 protected:
  RoomSpec room_{.name = "mix", .number = "3200", .pin = "", .moderator_pin = "",
                 .max_participants = 0, .moh = {}, .record = "", .owner = "",
                 .entry_tones = false};
};

TEST_P(MixMinus, EachCallerHearsTheOthersAndNeverItself) {
  ServeSpec spec;
  spec.rooms = {room_};
  start(spec);
  const int n = GetParam();
  std::vector<Caller*> callers;
  for (int i = 0; i < n; ++i) {
    Caller* c = join(room_, "caller" + std::to_string(i));
    ASSERT_NE(c, nullptr);
    c->media->play_tone(kToneHz[i], kAmplitude);
    callers.push_back(c);
  }
  // Settle: every caller hears the last tone added.
  for (Caller* c : callers) {
    if (c == callers.back()) continue;
    ASSERT_TRUE(c->media->wait_for_tone(kToneHz[n - 1], -45.0, 5s)) << c->name;
  }
  std::this_thread::sleep_for(600ms);
  for (int i = 0; i < n; ++i) {
    RtpPeer& media = *callers[i]->media;
    std::ostringstream levels;
    double weakest_other = 0.0;
    for (int j = 0; j < n; ++j) {
      const double db = media.level_db(kToneHz[j]);
      levels << kToneHz[j] << " Hz " << db << " dB; ";
      if (j != i) weakest_other = std::min(weakest_other, db);
    }
    const double own = media.level_db(kToneHz[i]);
    EXPECT_GT(weakest_other, -45.0) << callers[i]->name << " misses someone: " << levels.str();
    EXPECT_LT(own, weakest_other - 30.0) << callers[i]->name << " hears itself: " << levels.str();
  }
}

INSTANTIATE_TEST_SUITE_P(Callers, MixMinus, ::testing::Values(2, 3, 10),
                         [](const auto& p) { return std::to_string(p.param) + "Callers"; });

}  // namespace
}  // namespace tutti::e2e
