// The `tutti` command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "demo.h"
#include "replay.h"
#include "run.h"
#include "serve.h"

int main(int argc, char** argv) {
  CLI::App app{"tutti: real-time audio conference mixing engine"};
  app.require_subcommand(1);

  tutti::tools::DemoOptions demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo", "mix a generated three-person conference and report who heard whom");
  demo_cmd->add_option("--rate", demo.sample_rate_hz, "room rate in Hz (8000, 16000, 48000)");
  demo_cmd->add_option("--tick-ms", demo.tick_ms, "tick length in ms (10 or 20)");
  demo_cmd->add_option("--threads", demo.threads, "mixing threads (0 = serial)");
  demo_cmd->add_option("--ticks", demo.ticks, "ticks to run")->check(CLI::Range(50, 100000));

  tutti::tools::ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand(
      "serve", "run the conference server: SIP calls into rooms, HTTP API (docs/config.md)");
  serve_cmd->add_option("--config,-c", serve.config_path, "YAML configuration file")
      ->required()
      ->check(CLI::ExistingFile);
  serve_cmd->add_option("--sip-listen", serve.sip_listen, "override sip.listen (HOST:PORT)");
  serve_cmd->add_option("--http-listen", serve.http_listen, "override http.listen (HOST:PORT)");
  serve_cmd->add_option("--rtp-ports", serve.rtp_ports, "override rtp.ports (LOW-HIGH)");
  serve_cmd->add_flag("--check", serve.check_only, "check the configuration file and exit");
  serve_cmd->add_option("--record-scripts", serve.record_scripts_dir,
                        "record each conference as a scenario in DIR/<room>-<unix ms>/");

  tutti::tools::RunCommandOptions run;
  CLI::App* run_cmd = app.add_subcommand(
      "run", "play a scenario against tutti serve (or --target) and check what everyone heard");
  run_cmd->add_option("scenario", run.scenario_path, "scenario YAML (docs/scenario-format.md)")
      ->required()
      ->check(CLI::ExistingFile);
  run_cmd->add_option("--target", run.target, "HOST:PORT of a running SIP server to test");
  run_cmd->add_option("--junit", run.junit_path, "write a JUnit XML report");
  run_cmd->add_option("--json", run.json_path, "write a JSON report");
  run_cmd->add_option("--out", run.out_dir, "write what each participant heard as DIR/NAME.wav");
  run_cmd->add_flag("--quiet,-q", run.quiet, "no progress line");

  tutti::tools::ReplayCommandOptions replay;
  CLI::App* replay_cmd = app.add_subcommand(
      "replay", "play the calls of a pcap/pcapng capture again (docs/replay.md)");
  replay_cmd->add_option("capture", replay.capture_path, "pcap or pcapng file")
      ->required()
      ->check(CLI::ExistingFile);
  replay_cmd->add_option("--speed", replay.speed, "timeline speed (audio keeps its pitch)")
      ->check(CLI::Range(0.1, 100.0));
  replay_cmd->add_option("--loop", replay.loops, "replay the capture N times back to back")
      ->check(CLI::Range(1, 100));
  replay_cmd->add_option("--room", replay.room, "dial this number instead of the captured ones");
  replay_cmd->add_option("--target", replay.target, "HOST:PORT of a running SIP server to test");
  replay_cmd->add_option("--out", replay.out_dir, "write what each caller heard as DIR/NAME.wav");
  replay_cmd->add_option("--json", replay.json_path, "write a JSON report");
  replay_cmd->add_flag("--quiet,-q", replay.quiet, "no progress line");

  CLI11_PARSE(app, argc, argv);
  if (run_cmd->parsed()) return tutti::tools::run_command(run);
  if (replay_cmd->parsed()) return tutti::tools::replay_command(replay);
  if (demo_cmd->parsed()) return tutti::tools::run_demo(demo, std::cout);
  if (serve_cmd->parsed()) return tutti::tools::run_serve(serve);
  return 0;
}
