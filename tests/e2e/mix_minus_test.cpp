// Issue 4, behaviour 3: each caller hears every other caller and never itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "serve_fixture.h"

namespace tutti::e2e {
namespace {

// Spaced by 130 Hz, no tone a harmonic of another, 0.05 full scale (about -26 dB) each.
constexpr double kToneHz[] = {420, 550, 680, 810, 940, 1070, 1200, 1330, 1460, 1590};
constexpr double kAmplitude = 0.05;
constexpr double kToneDb = -26.0;
constexpr double kHeardDb = -45.0;
// The engine mixes only the loudest talkers (EngineConfig::max_speakers, 3 by default), so
// callers talk in rounds of at most 3; the rounds together make every caller a talker once.
constexpr int kTalkersPerRound = 3;

class MixMinus : public ServeFixture, public ::testing::WithParamInterface<int> {
 protected:
  RoomSpec room_{.name = "mix", .number = "3200", .pin = "", .moderator_pin = "",
                 .max_participants = 0, .moh = {}, .record = "", .owner = "",
                 .entry_tones = false};

  // Every caller hears each talker of the round other than itself, and its own tone (if it
  // talks) at least 30 dB below the weakest talker it hears.
  void check_round(const std::vector<Caller*>& callers, int first, int last) {
    const int n = static_cast<int>(callers.size());
    for (int c = 0; c < n; ++c)
      for (int t = first; t < last; ++t)
        if (t != c) {
          ASSERT_TRUE(callers[c]->media->wait_for_tone(kToneHz[t], kHeardDb, 5s))
              << callers[c]->name << " never hears " << callers[t]->name;
        }
    std::this_thread::sleep_for(600ms);
    for (int c = 0; c < n; ++c) {
      RtpPeer& media = *callers[c]->media;
      std::ostringstream levels;
      double weakest_other = kToneDb;
      for (int t = first; t < last; ++t) {
        const double db = media.level_db(kToneHz[t]);
        levels << kToneHz[t] << " Hz " << db << " dB; ";
        if (t != c) weakest_other = std::min(weakest_other, db);
      }
      EXPECT_GT(weakest_other, kHeardDb) << callers[c]->name << " misses a talker: " << levels.str();
      if (c >= first && c < last) {
        EXPECT_LT(media.level_db(kToneHz[c]), weakest_other - 30.0)
            << callers[c]->name << " hears itself: " << levels.str();
      }
    }
  }
};

TEST_P(MixMinus, EachCallerHearsTheOthersAndNeverItself) {
  ServeSpec spec;
  spec.rooms = {room_};
  start(spec);
  const int n = GetParam();
  std::vector<Caller*> callers;
  for (int i = 0; i < n; ++i) {
    Caller* c = join(room_, "caller" + std::to_string(i), "", {{"hangup_ms", "19000"}});
    ASSERT_NE(c, nullptr);
    callers.push_back(c);
  }
  for (int first = 0; first < n; first += kTalkersPerRound) {
    const int last = std::min(n, first + kTalkersPerRound);
    SCOPED_TRACE("talkers " + std::to_string(first) + ".." + std::to_string(last - 1));
    for (int i = 0; i < n; ++i)
      callers[i]->media->play_tone(i >= first && i < last ? kToneHz[i] : 0.0, kAmplitude);
    check_round(callers, first, last);
  }
}

INSTANTIATE_TEST_SUITE_P(Callers, MixMinus, ::testing::Values(2, 3, 10),
                         [](const auto& p) { return std::to_string(p.param) + "Callers"; });

}  // namespace
}  // namespace tutti::e2e
