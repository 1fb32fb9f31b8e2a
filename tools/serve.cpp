#include "serve.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <iostream>

#include "tutti/config/serve_config.h"
#include "tutti/server/server.h"

namespace tutti::tools {
namespace {

// Applies the command-line overrides; false (with the reason printed) when one is malformed.
bool apply_overrides(const ServeOptions& options, config::ServeConfig& config) {
  if (!options.sip_listen.empty()) {
    Result<config::Endpoint> endpoint = config::parse_endpoint(options.sip_listen);
    if (!endpoint) {
      std::cerr << "tutti serve: --sip-listen: " << endpoint.status().message() << "\n";
      return false;
    }
    config.sip_listen = endpoint.value();
  }
  if (!options.http_listen.empty()) {
    Result<config::Endpoint> endpoint = config::parse_endpoint(options.http_listen);
    if (!endpoint) {
      std::cerr << "tutti serve: --http-listen: " << endpoint.status().message() << "\n";
      return false;
    }
    config.http_listen = endpoint.value();
    if (!config::is_loopback(config.http_listen) && config.api_token.empty()) {
      std::cerr << "tutti serve: --http-listen " << options.http_listen
                << " is not a loopback address: http.api_token is required\n";
      return false;
    }
  }
  if (!options.rtp_ports.empty()) {
    Result<config::PortRange> range = config::parse_port_range(options.rtp_ports);
    if (!range) {
      std::cerr << "tutti serve: --rtp-ports: " << range.status().message() << "\n";
      return false;
    }
    config.rtp_ports = range.value();
  }
  return true;
}

}  // namespace

int run_serve(const ServeOptions& options) {
  Result<config::ServeConfig> loaded = config::load_serve_config(options.config_path);
  if (!loaded) {
    std::cerr << loaded.status().message() << "\n";
    std::cerr << "tutti serve: not started: the configuration has errors\n";
    return 2;
  }
  config::ServeConfig config = loaded.value();
  if (!apply_overrides(options, config)) return 2;
  if (options.check_only) {
    std::cout << "tutti serve: " << options.config_path << " is valid (" << config.rooms.size()
              << " rooms)\n";
    return 0;
  }
  // Block the stop signals before any thread starts, so that only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  server::ServerOptions server_options;
  if (!options.record_scripts_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.record_scripts_dir, ec);
    if (ec || !std::filesystem::is_directory(options.record_scripts_dir)) {
      std::cerr << "tutti serve: --record-scripts " << options.record_scripts_dir
                << ": not a directory we can create\n";
      return 2;
    }
    server_options.record_scripts_dir =
        std::filesystem::absolute(options.record_scripts_dir).string();
  }
  Result<std::unique_ptr<server::Server>> server = server::Server::create(config, server_options);
  if (!server) {
    std::cerr << "tutti serve: cannot start: " << server.status().message() << "\n";
    return 1;
  }
  std::cout << server.value()->ready_line() << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  spdlog::info("signal {}: ending every call", signal);
  server.value()->stop();
  std::cout << "tutti serve: stopped" << std::endl;
  return 0;
}

}  // namespace tutti::tools
