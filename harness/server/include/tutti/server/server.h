// `tutti serve`: a conference server that SIP phones call. It puts the pieces together: the
// engine (mixing), the media hub (RTP/RTCP sockets), the SIP agent (libre), the conference
// logic (dial plan, PIN prompt, keypad menu, moderation, roster) and the HTTP API with its
// Server-Sent Events stream (docs/api.md).
//
// Control plane: create() and stop() from the main thread.
#pragma once

#include <memory>
#include <string>

#include "tutti/config/serve_config.h"
#include "tutti/status.h"

namespace tutti::server {

struct ServerStats {
  uint64_t calls_active = 0;
  uint64_t invites = 0;
  uint64_t rtp_in = 0;
  uint64_t rtp_out = 0;
  uint64_t rtp_dropped = 0;  // malformed, foreign source, unknown payload type
  uint64_t late_ticks = 0;
};

// What the command line adds to the configuration file.
struct ServerOptions {
  std::string record_scripts_dir;  // --record-scripts: each conference as a scenario (docs/api.md)
};

class Server {
 public:
  // Starts everything; fails (and stops what it started) when a port cannot be bound, a room
  // cannot be created or a file cannot be read.
  static Result<std::unique_ptr<Server>> create(const config::ServeConfig& config,
                                                const ServerOptions& options = {});
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // "tutti serve: ready sip=127.0.0.1:5060 http=127.0.0.1:8080" (the bound addresses).
  std::string ready_line() const;
  int sip_port() const;   // as configured
  int http_port() const;  // as bound (the kernel's choice when the configuration said 0)
  // Hangs up every call with BYE, finishes the recordings, stops every thread. Idempotent.
  void stop();
  ServerStats stats() const;

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tutti::server
