// The runner's view of a tutti HTTP API (docs/api.md): moderator commands, roster snapshots and
// the Server-Sent Events stream, read on a thread of its own into a timestamped log.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tutti/status.h"

namespace httplib {
class Client;
}

namespace tutti::run {

struct SeenEvent {
  double at_s = 0;
  std::string type;
  std::string room;
  std::string who;  // the participant's name ("" for room events)
  nlohmann::json data;
};

class ApiClient {
 public:
  ApiClient(std::string host, int port, std::string token, std::function<double()> now);
  ~ApiClient();

  // GET/POST; the JSON body of a 2xx answer, or an error Status with the server's message.
  Result<nlohmann::json> get(const std::string& path);
  Result<nlohmann::json> post(const std::string& path, const nlohmann::json& body);
  // The call id of `who` (display name) in `room`'s roster.
  Result<uint64_t> participant_id(const std::string& room, const std::string& who);

  // Starts reading /api/events; returns once the stream is open (or failed).
  Status start_events();
  void stop_events();
  std::vector<SeenEvent> events() const;
  // Waits for an event matching type/who/room seen at or after `since_s`; false on timeout.
  bool wait_event(const std::string& type, const std::string& who, const std::string& room,
                  double since_s, double timeout_s);

 private:
  void on_event_text(const std::string& text);
  std::string host_;
  int port_;
  std::string token_;
  std::function<double()> now_;
  std::unique_ptr<httplib::Client> client_;
  std::unique_ptr<httplib::Client> stream_client_;
  std::thread stream_thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> open_{false};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<SeenEvent> events_;
  std::string pending_;  // a partial SSE block
};

}  // namespace tutti::run
