#include "tutti/server/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "conference.h"
#include "http_api.h"

namespace tutti::server {
namespace {

// Rooms the engine keeps beside the configured ones: one per caller at the PIN prompt or
// hearing a refusal.
constexpr int kPrivateRooms = 512;

bool is_wildcard(const std::string& host) { return host == "0.0.0.0" || host == "::"; }

// The address other hosts reach us at when we listen on every interface: the source address
// the kernel picks for a route outwards (no packet is sent).
std::string outward_address() {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return "127.0.0.1";
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(9);
  inet_pton(AF_INET, "192.0.2.1", &to.sin_addr);  // TEST-NET-1: never routed for real
  std::string address = "127.0.0.1";
  sockaddr_in local{};
  socklen_t length = sizeof local;
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0) {
    char text[INET_ADDRSTRLEN] = {};
    if (inet_ntop(AF_INET, &local.sin_addr, text, sizeof text)) address = text;
  }
  close(fd);
  return address;
}

}  // namespace

struct Server::Impl {
  config::ServeConfig config;
  ServerOptions options;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<media::MediaHub> hub;
  EventBus bus;
  std::unique_ptr<Conference> conference;
  std::unique_ptr<sip::Agent> agent;
  httplib::Server http;
  HttpContext http_context;
  std::thread http_thread;
  int http_port = 0;
  std::string prompt_dir;
  bool stopped = false;

  Status start_engine();
  Status start_sip();
  Status start_http();
  bool run_on_sip(const std::function<void()>& task);
  nlohmann::json stats_json() const;
  void stop();
};

Status Server::Impl::start_engine() {
  EngineConfig engine_config = config::to_engine_config(config);
  engine_config.max_rooms += kPrivateRooms;
  engine_config.max_participants += kPrivateRooms;
  Result<std::unique_ptr<Engine>> created = Engine::create(engine_config);
  if (!created) return created.status();
  engine = std::move(created.value());

  media::MediaHubConfig hub_config;
  hub_config.bind_address = config.sip_listen.host;
  hub_config.port_low = config.rtp_ports.low;
  hub_config.port_high = config.rtp_ports.high;
  hub_config.tick_ms = engine_config.tick_ms;
  hub_config.threads = config.rtp_threads;
  hub_config.max_streams = config.rtp_ports.count() / 2;
  Result<std::unique_ptr<media::MediaHub>> hub_created = media::MediaHub::create(hub_config);
  if (!hub_created) return hub_created.status();
  hub = std::move(hub_created.value());

  prompt_dir =
      (std::filesystem::temp_directory_path() / ("tutti-prompts-" + std::to_string(getpid())))
          .string();
  Result<Prompts> prompts = write_prompts(prompt_dir, engine_config.sample_rate_hz);
  if (!prompts) return prompts.status();

  ConferenceParts parts;
  parts.engine = engine.get();
  parts.hub = hub.get();
  parts.bus = &bus;
  parts.config = &config;
  parts.scripts_dir = options.record_scripts_dir;
  parts.prompts = prompts.value();
  parts.media_address =
      is_wildcard(config.sip_listen.host) ? outward_address() : config.sip_listen.host;
  conference = std::make_unique<Conference>(parts);
  if (Status rooms = conference->create_rooms(); !rooms) return rooms;
  return engine->start();
}

Status Server::Impl::start_sip() {
  sip::AgentConfig agent_config;
  agent_config.listen_address = config.sip_listen.host;
  agent_config.listen_port = config.sip_listen.port;
  Result<std::unique_ptr<sip::Agent>> created = sip::Agent::create(agent_config, *conference);
  if (!created) return created.status();
  agent = std::move(created.value());
  conference->attach(agent.get());
  Conference* c = conference.get();
  agent->every(std::chrono::milliseconds(20), [c] { c->pump(); });
  return Status::ok();
}

bool Server::Impl::run_on_sip(const std::function<void()>& task) {
  struct Slot {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    bool cancelled = false;
  };
  auto slot = std::make_shared<Slot>();
  agent->post([slot, task] {
    std::lock_guard lock(slot->mutex);
    if (slot->cancelled) return;  // the HTTP side gave up: its references are gone
    task();
    slot->done = true;
    slot->done_cv.notify_all();
  });
  std::unique_lock lock(slot->mutex);
  if (!slot->done_cv.wait_for(lock, std::chrono::seconds(3), [&] { return slot->done; })) {
    slot->cancelled = true;
    return false;
  }
  return true;
}

nlohmann::json Server::Impl::stats_json() const {
  const media::StreamStats media = hub->totals();
  const EngineStats mix = engine->stats();
  const sip::AgentStats signalling = agent->stats();
  return {{"calls_active", signalling.active_calls},
          {"invites", signalling.invites},
          {"sip_bad_requests", signalling.bad_requests},
          {"sip_malformed", signalling.malformed},
          {"rtp_in", media.rtp_in},
          {"rtp_out", media.rtp_out},
          {"rtp_malformed", media.malformed_rtp},
          {"rtcp_malformed", media.malformed_rtcp},
          {"dtmf_malformed", media.malformed_dtmf},
          {"rtp_foreign_source", media.foreign_source},
          {"rtp_unknown_payload_type", media.unknown_payload_type},
          {"rtp_lost", media.lost},
          {"rtp_late_sends", media.late_sends},
          {"streams_open", hub->open_streams()},
          {"engine_ticks", mix.ticks},
          {"engine_late_ticks", mix.late_ticks},
          {"engine_skipped_ticks", mix.skipped_ticks},
          {"engine_realtime", mix.realtime},
          {"rtp_link_full", media.link_full},
          {"participants", mix.participants}};
}

Status Server::Impl::start_http() {
  http_context.conference = conference.get();
  http_context.bus = &bus;
  http_context.token = config.api_token;
  http_context.run_on_sip = [this](std::function<void()> task) { return run_on_sip(task); };
  http_context.stats = [this] { return stats_json(); };
  install_routes(http, http_context);
  // Port 0 asks the kernel for a free port (tests); the ready line tells which.
  if (config.http_listen.port == 0) {
    http_port = http.bind_to_any_port(config.http_listen.host);
  } else if (http.bind_to_port(config.http_listen.host, config.http_listen.port)) {
    http_port = config.http_listen.port;
  }
  if (http_port <= 0) {
    return Status{StatusCode::kUnavailable,
                  "cannot listen for HTTP on " + config.http_listen.to_string()};
  }
  http_thread = std::thread([this] { http.listen_after_bind(); });
  return Status::ok();
}

void Server::Impl::stop() {
  if (stopped) return;
  stopped = true;
  bus.close();
  if (http_thread.joinable()) {
    http.stop();
    http_thread.join();
  }
  if (agent) {
    Conference* c = conference.get();
    run_on_sip([c] { c->end_all(); });
    agent->stop(std::chrono::milliseconds(2000));
  }
  if (engine) engine->stop();
  hub.reset();
  if (!prompt_dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(prompt_dir, ignored);
  }
}

Result<std::unique_ptr<Server>> Server::create(const config::ServeConfig& config,
                                              const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->options = options;
  for (auto step : {&Impl::start_engine, &Impl::start_sip, &Impl::start_http}) {
    if (Status status = ((*impl).*step)(); !status) {
      impl->stop();
      return status;
    }
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }
void Server::stop() { impl_->stop(); }

std::string Server::ready_line() const {
  config::Endpoint http_bound = impl_->config.http_listen;
  http_bound.port = static_cast<uint16_t>(impl_->http_port);
  return "tutti serve: ready sip=" + impl_->config.sip_listen.to_string() +
         " http=" + http_bound.to_string();
}

int Server::sip_port() const { return impl_->config.sip_listen.port; }
int Server::http_port() const { return impl_->http_port; }

ServerStats Server::stats() const {
  ServerStats out;
  const media::StreamStats media = impl_->hub->totals();
  const sip::AgentStats signalling = impl_->agent->stats();
  out.calls_active = signalling.active_calls;
  out.invites = signalling.invites;
  out.rtp_in = media.rtp_in;
  out.rtp_out = media.rtp_out;
  out.rtp_dropped = media.malformed_rtp + media.foreign_source + media.unknown_payload_type;
  out.late_ticks = impl_->engine->stats().late_ticks;
  return out;
}

}  // namespace tutti::server
