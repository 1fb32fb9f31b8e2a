// The port range: pairs are handed out until the range is used up, and close() frees them.
#include <gtest/gtest.h>

#include <random>

#include "media_test_support.h"

namespace tutti::media::test {
namespace {

// An even port whose pair is free right now, picked at random in the test range so test
// processes running side by side do not race for the same one.
uint16_t free_even_port() {
  std::mt19937 random(std::random_device{}());
  for (;;) {
    const auto port = static_cast<uint16_t>(kTestPortLow + 2 * (random() % 400));
    UdpSocket rtp(port);
    UdpSocket rtcp(static_cast<uint16_t>(port + 1));
    if (rtp.valid() && rtcp.valid()) return port;  // both close again on return
  }
}

MediaHubConfig range(uint16_t low, uint16_t high) {
  MediaHubConfig c = HubConference::test_hub_config();
  c.port_low = low;
  c.port_high = high;
  c.threads = 1;
  return c;
}

TEST(MediaHubPortsTest, PortRangeExhaustionIsResourceExhausted) {
  const uint16_t low = free_even_port();
  auto hub = std::move(*MediaHub::create(range(low, static_cast<uint16_t>(low + 2))));
  int opened = 0;
  Result<OpenedStream> r = hub->open_stream();
  for (; r && opened < 3; r = hub->open_stream()) {
    EXPECT_EQ(r->rtp_port % 2, 0);
    ++opened;
  }
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_GE(opened, 1);  // the second pair may belong to another program
  EXPECT_LE(opened, 2);
  EXPECT_EQ(hub->open_streams(), opened);
}

TEST(MediaHubPortsTest, CloseFreesThePortForReopening) {
  const uint16_t port = free_even_port();
  auto hub = std::move(*MediaHub::create(range(port, port)));
  auto first = hub->open_stream();
  ASSERT_TRUE(first) << first.status().to_string();
  EXPECT_EQ(first->rtp_port, port);
  EXPECT_EQ(hub->open_stream().status().code(), StatusCode::kResourceExhausted);
  hub->close(first->id);
  EXPECT_EQ(hub->open_streams(), 0);
  auto again = hub->open_stream();
  ASSERT_TRUE(again) << again.status().to_string();
  EXPECT_EQ(again->rtp_port, port);
  EXPECT_FALSE(again->id == first->id);
}

TEST(MediaHubPortsTest, BadConfigurationIsRefused) {
  MediaHubConfig odd = range(41001, 41011);
  EXPECT_EQ(MediaHub::create(odd).status().code(), StatusCode::kInvalidArgument);
  MediaHubConfig name = range(41000, 41010);
  name.bind_address = "localhost";
  EXPECT_EQ(MediaHub::create(name).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tutti::media::test
