#include "http_api.h"

#include <httplib.h>

namespace tutti::server {
namespace {

int http_status(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
    case StatusCode::kPermissionDenied:
      return 403;
  }
  return 500;
}

void reply(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void reply_error(httplib::Response& res, int status, const std::string& message) {
  reply(res, status, {{"error", message}});
}

// Runs `command` on the SIP thread; the JSON it returns or its Status becomes the response.
void run(const HttpContext& ctx, httplib::Response& res,
         const std::function<Result<nlohmann::json>()>& command) {
  std::optional<Result<nlohmann::json>> result;
  if (!ctx.run_on_sip([&] { result.emplace(command()); }) || !result) {
    reply_error(res, 503, "the server is busy or stopping; try again");
    return;
  }
  if (!*result) {
    reply_error(res, http_status(result->status().code()), result->status().message());
    return;
  }
  reply(res, 200, result->value());
}

Result<nlohmann::json> done(const Status& status, nlohmann::json ok = {{"ok", true}}) {
  if (!status) return status;
  return ok;
}

std::optional<nlohmann::json> json_body(const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    reply_error(res, 400, "the body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

std::optional<std::string> string_field(const nlohmann::json& body, const char* key,
                                        httplib::Response& res, bool required) {
  auto it = body.find(key);
  if (it == body.end()) {
    if (required) reply_error(res, 400, std::string("missing field '") + key + "'");
    return required ? std::nullopt : std::optional<std::string>("");
  }
  if (!it->is_string()) {
    reply_error(res, 400, std::string("field '") + key + "' must be a string");
    return std::nullopt;
  }
  return it->get<std::string>();
}

uint64_t id_of(const std::string& text) { return std::strtoull(text.c_str(), nullptr, 10); }

void install_participant_routes(httplib::Server& http, const HttpContext& ctx) {
  http.Post(R"(/api/rooms/([^/]+)/participants/(\d+)/(mute|unmute|kick|hold|resume))",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              const std::string room = req.matches[1];
              const uint64_t id = id_of(req.matches[2]);
              const std::string verb = req.matches[3];
              Conference& c = *ctx.conference;
              run(ctx, res, [&]() -> Result<nlohmann::json> {
                if (verb == "hold" || verb == "resume")
                  return done(c.set_hold(room, id, verb == "hold"));
                Status s = verb == "kick" ? c.kick(room, id) : c.set_muted(room, id, verb == "mute");
                if (s) c.note_moderator(room, verb, id);
                return done(s);
              });
            });
}

void install_dtmf_route(httplib::Server& http, const HttpContext& ctx) {
  http.Post(R"(/api/rooms/([^/]+)/participants/(\d+)/dtmf)",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              const std::string room = req.matches[1];
              const uint64_t id = id_of(req.matches[2]);
              auto body = json_body(req, res);
              if (!body) return;
              auto digits = string_field(*body, "digits", res, true);
              if (!digits) return;
              run(ctx, res, [&] { return done(ctx.conference->send_dtmf(room, id, *digits)); });
            });
}

void install_room_routes(httplib::Server& http, const HttpContext& ctx) {
  http.Get("/api/rooms", [&ctx](const httplib::Request&, httplib::Response& res) {
    run(ctx, res, [&] { return ctx.conference->rooms_json(); });
  });
  http.Get(R"(/api/rooms/([^/]+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    const std::string room = req.matches[1];
    run(ctx, res, [&] { return ctx.conference->room_json(room); });
  });
  http.Post(R"(/api/rooms/([^/]+)/(lock|unlock|end))", [&ctx](const httplib::Request& req,
                                                              httplib::Response& res) {
    const std::string room = req.matches[1];
    const std::string verb = req.matches[2];
    Conference& c = *ctx.conference;
    run(ctx, res, [&] {
      Status s = verb == "end" ? c.end_conference(room) : c.set_locked(room, verb == "lock");
      if (s) c.note_moderator(room, verb, 0);
      return done(s);
    });
  });
  http.Post(R"(/api/rooms/([^/]+)/recording/(start|stop))",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              const std::string room = req.matches[1];
              const bool on = req.matches[2] == "start";
              run(ctx, res, [&]() -> Result<nlohmann::json> {
                Result<std::string> path = ctx.conference->set_recording(room, on);
                if (!path) return path.status();
                ctx.conference->note_moderator(room, on ? "record_start" : "record_stop", 0);
                return nlohmann::json{{"recording", on}, {"path", path.value()}};
              });
            });
  http.Post(R"(/api/rooms/([^/]+)/script/(start|stop))",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              const std::string room = req.matches[1];
              const bool on = req.matches[2] == "start";
              run(ctx, res, [&]() -> Result<nlohmann::json> {
                Result<std::string> dir = ctx.conference->set_script(room, on);
                if (!dir) return dir.status();
                return nlohmann::json{{"script", on}, {"dir", dir.value()}};
              });
            });
  http.Post(R"(/api/rooms/([^/]+)/invite)",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              const std::string room = req.matches[1];
              auto body = json_body(req, res);
              if (!body) return;
              auto uri = string_field(*body, "uri", res, true);
              if (!uri) return;
              auto name = string_field(*body, "name", res, false);
              if (!name) return;
              run(ctx, res, [&]() -> Result<nlohmann::json> {
                Result<uint64_t> id = ctx.conference->invite(room, *uri, *name);
                if (!id) return id.status();
                return nlohmann::json{{"id", id.value()}, {"state", "invited"}};
              });
              if (res.status == 200) res.status = 202;
            });
}

void install_call_routes(httplib::Server& http, const HttpContext& ctx) {
  http.Get("/api/calls", [&ctx](const httplib::Request&, httplib::Response& res) {
    run(ctx, res, [&]() -> Result<nlohmann::json> { return ctx.conference->calls_json(); });
  });
  http.Post(R"(/api/calls/(\d+)/move)",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              const uint64_t id = id_of(req.matches[1]);
              auto body = json_body(req, res);
              if (!body) return;
              auto room = string_field(*body, "room", res, true);
              if (!room) return;
              run(ctx, res, [&] { return done(ctx.conference->move(id, *room)); });
            });
  http.Get("/api/stats", [&ctx](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, ctx.stats());
  });
}

void install_events(httplib::Server& http, const HttpContext& ctx) {
  http.Get("/api/events", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto subscription = ctx.bus->subscribe(req.get_param_value("room"));
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider(
        "text/event-stream",
        [subscription](std::size_t, httplib::DataSink& sink) {
          if (subscription->closed()) return false;
          std::optional<BusEvent> event = subscription->next(std::chrono::milliseconds(500));
          std::string text = event
                                 ? "id: " + std::to_string(event->seq) + "\nevent: " + event->type +
                                       "\ndata: " + event->json + "\n\n"
                                 : std::string(": keep-alive\n\n");
          return sink.write(text.data(), text.size());
        },
        [bus = ctx.bus, subscription](bool) { bus->unsubscribe(subscription); });
  });
}

}  // namespace

void install_routes(httplib::Server& http, const HttpContext& ctx) {
  http.set_pre_routing_handler([&ctx](const httplib::Request& req, httplib::Response& res) {
    if (ctx.token.empty() || !req.path.starts_with("/api"))
      return httplib::Server::HandlerResponse::Unhandled;
    // EventSource cannot set headers, so the stream also takes ?token=.
    const bool ok = req.get_header_value("Authorization") == "Bearer " + ctx.token ||
                    (req.path == "/api/events" && req.get_param_value("token") == ctx.token);
    if (ok) return httplib::Server::HandlerResponse::Unhandled;
    reply_error(res, 401, "missing or wrong API token (Authorization: Bearer TOKEN)");
    return httplib::Server::HandlerResponse::Handled;
  });
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    reply_error(
        res, res.status,
        res.status == 404 ? "no such resource: " + req.method + " " + req.path : "request failed");
  });
  install_room_routes(http, ctx);
  install_participant_routes(http, ctx);
  install_dtmf_route(http, ctx);
  install_call_routes(http, ctx);
  install_events(http, ctx);
}

}  // namespace tutti::server
