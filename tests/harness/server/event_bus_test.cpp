#include "event_bus.h"

#include <gtest/gtest.h>

#include <thread>

namespace tutti::server {
namespace {

using std::chrono::milliseconds;

TEST(EventBus, SubscriberSeesOnlyItsRoomInOrder) {
  EventBus bus;
  auto sales = bus.subscribe("sales");
  auto all = bus.subscribe("");
  bus.publish("joined", "sales", R"({"participant":1})");
  bus.publish("joined", "lobby", R"({"participant":2})");
  bus.publish("left", "sales", R"({"participant":1})");
  auto first = sales->next(milliseconds(10));
  auto second = sales->next(milliseconds(10));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->type, "joined");
  EXPECT_EQ(second->type, "left");
  EXPECT_LT(first->seq, second->seq);
  EXPECT_FALSE(sales->next(milliseconds(10)));
  int seen = 0;
  while (all->next(milliseconds(10))) ++seen;
  EXPECT_EQ(seen, 3);
}

TEST(EventBus, SlowSubscriberLosesOldestAndPublisherNeverBlocks) {
  EventBus bus(4);
  auto slow = bus.subscribe("");
  for (int i = 0; i < 10; ++i) bus.publish("talking", "r", std::to_string(i));
  EXPECT_EQ(slow->dropped(), 6u);
  auto oldest_kept = slow->next(milliseconds(10));
  ASSERT_TRUE(oldest_kept);
  EXPECT_EQ(oldest_kept->json, "6");
}

TEST(EventBus, CloseWakesWaitingSubscriber) {
  EventBus bus;
  auto subscription = bus.subscribe("");
  std::thread closer([&] {
    std::this_thread::sleep_for(milliseconds(50));
    bus.close();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(subscription->next(milliseconds(5000)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
  EXPECT_TRUE(subscription->closed());
  closer.join();
}

TEST(EventBus, ConcurrentPublishersAndSubscribers) {
  EventBus bus(100000);
  auto subscription = bus.subscribe("");
  std::vector<std::thread> publishers;
  for (int p = 0; p < 4; ++p) {
    publishers.emplace_back([&bus] {
      for (int i = 0; i < 1000; ++i) bus.publish("talking", "r", "{}");
    });
  }
  int received = 0;
  uint64_t last_seq = 0;
  while (received < 4000) {
    auto event = subscription->next(milliseconds(1000));
    ASSERT_TRUE(event) << "after " << received;
    EXPECT_GT(event->seq, last_seq);
    last_seq = event->seq;
    ++received;
  }
  for (auto& t : publishers) t.join();
  bus.unsubscribe(subscription);
}

}  // namespace
}  // namespace tutti::server
