// Seeded random mutations of real offers: parse() and answer() must never crash or read out of
// bounds (the ASan lane runs this), and every answer tutti writes must parse again.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "offers.h"
#include "tutti/sdp/sdp.h"

namespace tutti::sdp {
namespace {

constexpr uint32_t kSeed = 20240611;
constexpr int kMutations = 20000;

// Bytes that make SDP interesting: separators, digits, line breaks, NUL, high bytes.
constexpr char kAlphabet[] =
    "= :/.-0123456789\r\n\t\0\xff"
    "amvcoptIP46";

std::string mutate(std::string text, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const std::size_t at = text.empty() ? 0 : rng() % text.size();
    const char byte = kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
    switch (rng() % 5) {
      case 0:
        if (!text.empty()) text[at] = byte;
        break;
      case 1:
        text.insert(at, 1, byte);
        break;
      case 2:
        text.erase(at, 1 + rng() % 8);
        break;
      case 3:
        text.resize(at);  // truncated
        break;
      default:
        text.insert(at, text.substr(rng() % (text.size() + 1), rng() % 40));  // repeated part
        break;
    }
  }
  return text;
}

TEST(SdpMutation, MutatedOffersNeverCrashAndAnswersParse) {
  const std::string corpus[] = {testing::kSippUac, testing::crlf(testing::kBaresip),
                                testing::kLinphone, testing::kAsterisk};
  LocalMedia local;
  local.address = "198.51.100.7";
  local.port = 30000;
  std::mt19937 rng(kSeed);
  int parsed = 0;
  int answered = 0;
  for (int i = 0; i < kMutations; ++i) {
    const std::string text = mutate(corpus[i % 4], rng);
    SCOPED_TRACE("seed " + std::to_string(kSeed) + ", mutation " + std::to_string(i));
    // An exact-size heap block with no terminator, so that ASan catches any read past the end.
    const auto bytes = std::make_unique<char[]>(text.size());
    std::copy(text.begin(), text.end(), bytes.get());
    auto offer = parse(std::string_view(bytes.get(), text.size()));
    if (!offer.is_ok()) {
      ASSERT_EQ(offer.status().code(), StatusCode::kInvalidArgument);
      continue;
    }
    ++parsed;
    auto negotiated = answer(*offer, local);
    if (!negotiated.is_ok()) continue;
    ++answered;
    auto again = parse(negotiated->sdp);
    ASSERT_TRUE(again.is_ok()) << again.status().to_string() << "\n" << negotiated->sdp;
    ASSERT_EQ(again->audio->formats[0].payload_type, negotiated->codec.payload_type);
  }
  // The mutations must leave enough valid offers for the answer path to be exercised too.
  EXPECT_GT(parsed, kMutations / 10);
  EXPECT_GT(answered, kMutations / 20);
}

}  // namespace
}  // namespace tutti::sdp
