#include "event_bus.h"

#include <algorithm>

namespace tutti::server {

std::shared_ptr<EventBus::Subscription> EventBus::subscribe(const std::string& room) {
  auto subscription = std::make_shared<Subscription>();
  subscription->room_filter = room;
  subscription->bus = this;
  std::lock_guard lock(mutex_);
  subscription->closed_ = closed_;
  subscribers_.push_back(subscription);
  return subscription;
}

void EventBus::unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  std::lock_guard lock(mutex_);
  std::erase(subscribers_, subscription);
}

void EventBus::publish(const std::string& type, const std::string& room, const std::string& json) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    BusEvent event{++seq_, type, room, json};
    for (auto& subscriber : subscribers_) {
      if (!subscriber->room_filter.empty() && subscriber->room_filter != room) continue;
      if (subscriber->queue.size() >= limit_) {
        subscriber->queue.pop_front();
        ++subscriber->dropped_;
      }
      subscriber->queue.push_back(event);
    }
  }
  changed_.notify_all();
}

void EventBus::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (auto& subscriber : subscribers_) subscriber->closed_ = true;
  }
  changed_.notify_all();
}

std::optional<BusEvent> EventBus::Subscription::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(bus->mutex_);
  bus->changed_.wait_for(lock, timeout, [&] { return closed_ || !queue.empty(); });
  if (queue.empty()) return std::nullopt;
  BusEvent event = std::move(queue.front());
  queue.pop_front();
  return event;
}

bool EventBus::Subscription::closed() const {
  std::lock_guard lock(bus->mutex_);
  return closed_;
}

uint64_t EventBus::Subscription::dropped() const {
  std::lock_guard lock(bus->mutex_);
  return dropped_;
}

}  // namespace tutti::server
