// Room events for the HTTP API's Server-Sent Events stream: the SIP thread publishes, every
// subscriber (one per open /api/events request) has its own bounded queue. A slow subscriber
// loses its oldest events (counted), never blocks the publisher.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tutti::server {

struct BusEvent {
  uint64_t seq = 0;
  std::string type;  // "joined", "left", "talking", ...
  std::string room;  // room name ("" for server events)
  std::string json;  // the data line: a JSON object
};

class EventBus {
 public:
  class Subscription {
   public:
    // Waits up to `timeout` for the next event; nullopt on timeout or when the bus closed.
    std::optional<BusEvent> next(std::chrono::milliseconds timeout);
    bool closed() const;
    uint64_t dropped() const;

   private:
    friend class EventBus;
    std::string room_filter;
    std::deque<BusEvent> queue;
    uint64_t dropped_ = 0;
    bool closed_ = false;
    EventBus* bus = nullptr;
  };

  explicit EventBus(std::size_t queue_limit = 1024) : limit_(queue_limit) {}
  // Any thread. `room` = "" receives every room.
  std::shared_ptr<Subscription> subscribe(const std::string& room);
  void unsubscribe(const std::shared_ptr<Subscription>& subscription);
  // Any thread, never blocks for long.
  void publish(const std::string& type, const std::string& room, const std::string& json);
  // Wakes and ends every subscription (server shutdown).
  void close();

 private:
  std::size_t limit_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::shared_ptr<Subscription>> subscribers_;
  uint64_t seq_ = 0;
  bool closed_ = false;
};

}  // namespace tutti::server
