#include "api_client.h"

#include <httplib.h>

namespace tutti::run {
namespace {

httplib::Headers auth(const std::string& token) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  return headers;
}

Result<nlohmann::json> to_result(const httplib::Result& reply, const std::string& what) {
  if (!reply) {
    return Status{StatusCode::kUnavailable,
                  what + ": no answer (" + httplib::to_string(reply.error()) + ")"};
  }
  nlohmann::json body = nlohmann::json::parse(reply->body, nullptr, false);
  if (reply->status / 100 != 2) {
    std::string message = what + ": HTTP " + std::to_string(reply->status);
    if (body.is_object() && body.contains("error"))
      message += ": " + body["error"].get<std::string>();
    return Status{reply->status == 404 ? StatusCode::kNotFound : StatusCode::kFailedPrecondition,
                  message};
  }
  return body.is_discarded() ? nlohmann::json::object() : body;
}

}  // namespace

ApiClient::ApiClient(std::string host, int port, std::string token, std::function<double()> now)
    : host_(std::move(host)), port_(port), token_(std::move(token)), now_(std::move(now)) {
  client_ = std::make_unique<httplib::Client>(host_, port_);
  client_->set_connection_timeout(2, 0);
  client_->set_read_timeout(5, 0);
}

ApiClient::~ApiClient() { stop_events(); }

Result<nlohmann::json> ApiClient::get(const std::string& path) {
  return to_result(client_->Get(path, auth(token_)), "GET " + path);
}

Result<nlohmann::json> ApiClient::post(const std::string& path, const nlohmann::json& body) {
  return to_result(client_->Post(path, auth(token_), body.dump(), "application/json"),
                   "POST " + path);
}

Result<uint64_t> ApiClient::participant_id(const std::string& room, const std::string& who) {
  Result<nlohmann::json> roster = get("/api/rooms/" + room);
  if (!roster) return roster.status();
  for (const auto& p : roster.value().value("participants", nlohmann::json::array())) {
    if (p.value("name", "") == who) return p.value("id", uint64_t{0});
  }
  return Status{StatusCode::kNotFound, "no participant '" + who + "' in room '" + room + "'"};
}

void ApiClient::on_event_text(const std::string& text) {
  pending_ += text;
  std::size_t end = 0;
  while ((end = pending_.find("\n\n")) != std::string::npos) {
    const std::string block = pending_.substr(0, end);
    pending_.erase(0, end + 2);
    SeenEvent event;
    event.at_s = now_();
    std::size_t start = 0;
    while (start < block.size()) {
      std::size_t stop = block.find('\n', start);
      if (stop == std::string::npos) stop = block.size();
      const std::string line = block.substr(start, stop - start);
      if (line.starts_with("event: ")) event.type = line.substr(7);
      if (line.starts_with("data: "))
        event.data = nlohmann::json::parse(line.substr(6), nullptr, false);
      start = stop + 1;
    }
    if (event.type.empty() || !event.data.is_object()) continue;
    event.room = event.data.value("room", "");
    event.who = event.data.value("name", "");
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
    }
    changed_.notify_all();
  }
}

Status ApiClient::start_events() {
  stream_client_ = std::make_unique<httplib::Client>(host_, port_);
  stream_client_->set_read_timeout(2, 0);
  stream_thread_ = std::thread([this] {
    while (!stop_) {
      stream_client_->Get("/api/events", auth(token_),
                          [this](const char* data, std::size_t length) {
                            open_ = true;
                            on_event_text(std::string(data, length));
                            return !stop_.load();
                          });
      if (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  for (int i = 0; i < 200 && !open_; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (!open_) return Status{StatusCode::kUnavailable, "the event stream did not open"};
  return Status::ok();
}

void ApiClient::stop_events() {
  stop_ = true;
  if (stream_client_) stream_client_->stop();
  if (stream_thread_.joinable()) stream_thread_.join();
}

std::vector<SeenEvent> ApiClient::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

bool ApiClient::wait_event(const std::string& type, const std::string& who, const std::string& room,
                           double since_s, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [&] {
    for (const SeenEvent& e : events_) {
      if (e.at_s + 1e-9 < since_s || e.type != type) continue;
      if (!who.empty() && e.who != who) continue;
      if (!room.empty() && e.room != room) continue;
      return true;
    }
    return false;
  });
}

}  // namespace tutti::run
