#include "api.h"

#include <httplib.h>

#include "net.h"

namespace tutti::e2e {
namespace {

constexpr time_t kRequestTimeoutS = 5;

Reply to_reply(const httplib::Result& result) {
  Reply reply;
  if (!result) return reply;
  reply.status = result->status;
  reply.text = result->body;
  reply.body = Json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

}  // namespace

std::string str_field(const Json& j, const std::string& key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool bool_field(const Json& j, const std::string& key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

Api::Api(int port, std::string token) : port_(port), token_(std::move(token)) {}
Api::~Api() = default;

Reply Api::send(const std::function<void(httplib::Client&)>& prepare, bool get,
                const std::string& path, const std::string& body,
                const std::string& content_type, bool with_token) {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(kRequestTimeoutS, 0);
  client.set_read_timeout(kRequestTimeoutS, 0);
  if (with_token && !token_.empty()) client.set_bearer_token_auth(token_);
  if (prepare) prepare(client);
  return to_reply(get ? client.Get(path.c_str()) : client.Post(path.c_str(), body, content_type.c_str()));
}

Reply Api::get(const std::string& path) { return send(nullptr, true, path, "", "", true); }

Reply Api::get_without_token(const std::string& path) {
  return send(nullptr, true, path, "", "", false);
}

Reply Api::post(const std::string& path, const Json& body) {
  return send(nullptr, false, path, body.dump(), "application/json", true);
}

Reply Api::post_text(const std::string& path, const std::string& text,
                     const std::string& content_type) {
  return send(nullptr, false, path, text, content_type, true);
}

std::vector<Json> Api::participants(const std::string& room) {
  const Reply reply = get("/api/rooms/" + room);
  if (reply.status != 200 || !reply.body.is_object()) return {};
  const auto it = reply.body.find("participants");
  if (it == reply.body.end() || !it->is_array()) return {};
  return {it->begin(), it->end()};
}

std::optional<Json> Api::participant(const std::string& room, const std::string& who) {
  for (const Json& p : participants(room)) {
    const std::string uri = str_field(p, "uri");
    if (str_field(p, "name") == who || uri.rfind("sip:" + who + "@", 0) == 0) return p;
  }
  return std::nullopt;
}

std::optional<Json> Api::wait_for_participant(const std::string& room, const std::string& who,
                                              const std::function<bool(const Json&)>& test,
                                              std::chrono::milliseconds timeout) {
  std::optional<Json> found;
  wait_until(
      [&] {
        found = participant(room, who);
        return found && (!test || test(*found));
      },
      timeout);
  if (found && test && !test(*found)) return std::nullopt;
  return found;
}

bool Api::wait_until_absent(const std::string& room, const std::string& who,
                            std::chrono::milliseconds timeout) {
  return wait_until([&] { return !participant(room, who); }, timeout);
}

EventStream::EventStream(int port, std::string token)
    : port_(port),
      token_(std::move(token)),
      client_(std::make_unique<httplib::Client>("127.0.0.1", port)) {
  client_->set_connection_timeout(kRequestTimeoutS, 0);
  client_->set_read_timeout(60, 0);  // events may be minutes apart; stop() ends the read
  if (!token_.empty()) client_->set_bearer_token_auth(token_);
  thread_ = std::thread([this] { run(); });
}

EventStream::~EventStream() {
  stop_ = true;
  // stop() only reaches a socket that is open: repeat it until the GET has returned.
  std::unique_lock lock(mutex_);
  while (!finished_) {
    lock.unlock();
    client_->stop();
    lock.lock();
    changed_.wait_for(lock, std::chrono::milliseconds(50));
  }
  lock.unlock();
  thread_.join();
}

void EventStream::run() {
  client_->Get(
      "/api/events", httplib::Headers{{"Accept", "text/event-stream"}},
      [this](const httplib::Response& response) {
        std::lock_guard lock(mutex_);
        connected_ = response.status == 200;
        changed_.notify_all();
        return connected_ && !stop_;
      },
      [this](const char* data, std::size_t size) {
        feed(data, size);
        return !stop_.load();
      });
  std::lock_guard lock(mutex_);
  finished_ = true;
  changed_.notify_all();
}

// SSE framing: lines `event: NAME` and `data: ...`, an empty line ends the event; lines starting
// with ':' are comments (keep-alives).
void EventStream::feed(const char* data, std::size_t size) {
  std::lock_guard lock(mutex_);
  pending_.append(data, size);
  std::size_t eol;
  while ((eol = pending_.find('\n')) != std::string::npos) {
    std::string line = pending_.substr(0, eol);
    pending_.erase(0, eol + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!event_name_.empty() || !event_data_.empty()) {
        Json parsed = Json::parse(event_data_, nullptr, false);
        events_.push_back(Event{.name = event_name_.empty() ? "message" : event_name_,
                                .data = parsed.is_discarded() ? Json() : parsed});
        changed_.notify_all();
      }
      event_name_.clear();
      event_data_.clear();
    } else if (line.rfind("event:", 0) == 0) {
      event_name_ = line.substr(line.size() > 6 && line[6] == ' ' ? 7 : 6);
    } else if (line.rfind("data:", 0) == 0) {
      if (!event_data_.empty()) event_data_ += '\n';
      event_data_ += line.substr(line.size() > 5 && line[5] == ' ' ? 6 : 5);
    }
  }
}

bool EventStream::wait_connected(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return connected_ || finished_; }) && connected_;
}

std::vector<Event> EventStream::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::optional<Event> EventStream::wait_for(const std::string& name,
                                           const std::function<bool(const Json&)>& test,
                                           std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::size_t checked = 0;
  std::optional<Event> found;
  changed_.wait_for(lock, timeout, [&] {
    for (; checked < events_.size() && !found; ++checked)
      if (events_[checked].name == name && (!test || test(events_[checked].data)))
        found = events_[checked];
    return found.has_value() || finished_;
  });
  return found;
}

}  // namespace tutti::e2e
