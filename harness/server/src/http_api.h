// The HTTP control API of `tutti serve` (docs/api.md): JSON REST over the conference's rooms,
// rosters and commands, and a Server-Sent Events stream of room events. Handlers run on
// cpp-httplib's threads and hand every command to the SIP thread, waiting for its answer.
#pragma once

#include <functional>
#include <string>

#include "conference.h"

namespace httplib {
class Server;
}

namespace tutti::server {

struct HttpContext {
  Conference* conference = nullptr;
  EventBus* bus = nullptr;
  std::string token;  // required on every /api request when not empty
  // Runs `task` on the SIP thread and waits for it; false when it did not run in time.
  std::function<bool(std::function<void()>)> run_on_sip;
  std::function<nlohmann::json()> stats;
};

void install_routes(httplib::Server& http, const HttpContext& context);

}  // namespace tutti::server
