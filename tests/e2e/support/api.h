// The control API of `tutti serve` as a test sees it: JSON over HTTP on 127.0.0.1, and the
// Server-Sent Events stream read by a background thread.
//
// Threads: an Api belongs to one thread. An EventStream's thread collects events; its public
// methods may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace httplib {
class Client;
}

namespace tutti::e2e {

using Json = nlohmann::json;

struct Reply {
  int status = 0;     // 0: no answer (connection failed)
  Json body;          // null when the body is not JSON
  std::string text;
};

class Api {
 public:
  Api(int port, std::string token);
  ~Api();

  Reply get(const std::string& path);
  Reply post(const std::string& path, const Json& body = Json::object());
  Reply post_text(const std::string& path, const std::string& text,
                  const std::string& content_type);
  // The same requests with no Authorization header.
  Reply get_without_token(const std::string& path);

  // GET /api/rooms/{room}: its participants (empty if the room cannot be read).
  std::vector<Json> participants(const std::string& room);
  // The participant whose name or URI user is `who`, if listed in `room`.
  std::optional<Json> participant(const std::string& room, const std::string& who);
  // Polls the roster until `who` is listed in `room` and `test` holds for it.
  std::optional<Json> wait_for_participant(const std::string& room, const std::string& who,
                                           const std::function<bool(const Json&)>& test,
                                           std::chrono::milliseconds timeout);
  bool wait_until_absent(const std::string& room, const std::string& who,
                         std::chrono::milliseconds timeout);

 private:
  Reply send(const std::function<void(httplib::Client&)>& prepare, bool get,
             const std::string& path, const std::string& body, const std::string& content_type,
             bool with_token);
  int port_;
  std::string token_;
};

struct Event {
  std::string name;  // the `event:` field
  Json data;         // the `data:` field parsed (null if not JSON)
};

class EventStream {
 public:
  EventStream(int port, std::string token);
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // True once the server answered the GET with 200 (the stream is open).
  bool wait_connected(std::chrono::milliseconds timeout);
  std::vector<Event> events() const;
  // First event (from the start of the stream) named `name` for which test holds.
  std::optional<Event> wait_for(const std::string& name,
                                const std::function<bool(const Json&)>& test,
                                std::chrono::milliseconds timeout);

 private:
  void run();
  void feed(const char* data, std::size_t size);

  int port_;
  std::string token_;
  std::unique_ptr<httplib::Client> client_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Event> events_;
  std::string pending_;
  std::string event_name_, event_data_;
  bool connected_ = false;
  bool finished_ = false;
  std::thread thread_;
};

// Participant field helpers: a value of the wrong type reads as the default.
std::string str_field(const Json& j, const std::string& key);
bool bool_field(const Json& j, const std::string& key);

}  // namespace tutti::e2e
