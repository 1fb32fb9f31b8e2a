// run_scenario(): start the server (or use the target), the phones and their SIP agent, play
// the timeline on its clock, then check the expectations.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sndfile.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <map>
#include <thread>

#include "api_client.h"
#include "phones.h"
#include "run_context.h"
#include "tutti/runner/audio_source.h"
#include "tutti/server/server.h"

namespace tutti::run {
namespace {

using Clock = std::chrono::steady_clock;

bool port_free(int port, int type) {
  const int fd = socket(AF_INET, type, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

// The first port from `from` that is free for UDP and TCP.
int free_sip_port(int from) {
  for (int port = from; port < 65535; ++port) {
    if (port_free(port, SOCK_DGRAM) && port_free(port, SOCK_STREAM)) return port;
  }
  return 0;
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Renders the scenario's generated audio files (music on hold, ...) as 16 kHz WAV into `dir`
// (never next to the scenario); `copies` maps each path the scenario names to its copy.
Status write_audio_files(const scenario::Scenario& scenario, const std::filesystem::path& dir,
                         std::map<std::string, std::string>& copies) {
  constexpr int kRate = 16000;
  for (const scenario::AudioFile& file : scenario.audio_files) {
    runner::AudioSourceSpec spec = runner::AudioSourceSpec::silence();
    if (const auto* tone = std::get_if<scenario::Tone>(&file.audio.source)) {
      spec = runner::AudioSourceSpec::tone(tone->frequency_hz, file.audio.level_dbfs);
    } else if (std::holds_alternative<scenario::Noise>(file.audio.source)) {
      spec = runner::AudioSourceSpec::noise(file.audio.level_dbfs, 7);
    }
    Result<std::unique_ptr<runner::AudioSource>> source = runner::create_audio_source(spec, kRate);
    if (!source) return source.status();
    std::vector<int16_t> pcm(static_cast<std::size_t>(file.seconds * kRate));
    source.value()->fill(pcm);
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    const std::string copy = (dir / (std::to_string(copies.size()) + "-" +
                                     std::filesystem::path(file.path).filename().string()))
                                 .string();
    copies[file.path] = copy;
    SF_INFO info{};
    info.samplerate = kRate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* out = sf_open(copy.c_str(), SFM_WRITE, &info);
    if (out == nullptr) return Status{StatusCode::kInternal, "cannot write " + copy};
    sf_write_short(out, pcm.data(), static_cast<sf_count_t>(pcm.size()));
    sf_close(out);
  }
  return Status::ok();
}

struct Ports {
  int base = 0;
  uint16_t phones_low() const { return static_cast<uint16_t>(base); }
  uint16_t phones_high() const { return static_cast<uint16_t>(base + 1999); }
  uint16_t rtp_low() const { return static_cast<uint16_t>(base + 2000); }
  uint16_t rtp_high() const { return static_cast<uint16_t>(base + 3999); }
  int sip_from() const { return base + 4000; }
};

class Runner {
 public:
  Runner(const scenario::Scenario& scenario, const RunOptions& options)
      : scenario_(scenario), options_(options), phones_(scenario, [this] { return now_s(); }) {}
  Result<RunReport> run();

 private:
  double now_s() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  Status start_server();
  Status start_phones();
  void play_timeline();
  bool execute(const scenario::Step& step);
  void moderator(const scenario::Moderator& command);
  void take_rosters_until(double t);
  void sleep_until(double t);
  void stop_all();
  void write_heard(const std::string& dir);

  const scenario::Scenario& scenario_;
  RunOptions options_;
  Phones phones_;
  Ports ports_;
  Clock::time_point start_ = Clock::now() + std::chrono::hours(24);
  std::unique_ptr<server::Server> server_;
  std::string sip_target_;
  std::string invite_host_;
  std::filesystem::path work_dir_;
  std::map<std::string, std::string> audio_copies_;
  std::unique_ptr<ApiClient> api_;
  std::unique_ptr<runner::PhoneMediaPool> pool_;
  std::unique_ptr<sip::Agent> agent_;
  RunContext context_;
  std::vector<std::size_t> roster_expectations_;  // indexes, by time
  std::size_t next_roster_ = 0;
  double last_step_s_ = 0;
  double last_progress_s_ = -1;
  std::vector<std::string> problems_;
};

Status Runner::start_server() {
  config::Endpoint api_endpoint;
  std::string token;
  if (const auto* embedded = std::get_if<scenario::EmbeddedServer>(&scenario_.server);
      embedded && options_.target.empty()) {
    config::ServeConfig config = embedded->config;
    const int sip_port = free_sip_port(ports_.sip_from());
    if (sip_port == 0) return Status{StatusCode::kUnavailable, "no free SIP port"};
    config.sip_listen = {"127.0.0.1", static_cast<uint16_t>(sip_port)};
    config.http_listen = {"127.0.0.1", 0};
    config.rtp_ports = {ports_.rtp_low(), ports_.rtp_high()};
    for (config::RoomEntry& room : config.rooms) {
      if (auto it = audio_copies_.find(room.moh); it != audio_copies_.end()) room.moh = it->second;
    }
    if (config.recording.dir.empty()) {
      config.recording.dir = (work_dir_ / "recordings").string();
    }
    std::filesystem::create_directories(config.recording.dir);
    Result<std::unique_ptr<server::Server>> started = server::Server::create(config);
    if (!started) return started.status();
    server_ = std::move(started.value());
    sip_target_ = config.sip_listen.to_string();
    api_endpoint = {"127.0.0.1", static_cast<uint16_t>(server_->http_port())};
  } else {
    const auto* target = std::get_if<scenario::TargetServer>(&scenario_.server);
    if (!options_.target.empty()) {
      Result<config::Endpoint> endpoint = config::parse_endpoint(options_.target);
      if (!endpoint)
        return Status{StatusCode::kInvalidArgument, "--target: " + endpoint.status().message()};
      sip_target_ = endpoint->to_string();
    } else {
      sip_target_ = target->sip.to_string();
    }
    if (target != nullptr && target->api) {
      api_endpoint = *target->api;
      token = target->api_token;
    }
  }
  if (api_endpoint.port != 0) {
    api_ = std::make_unique<ApiClient>(api_endpoint.host, api_endpoint.port, token,
                                       [this] { return now_s(); });
    context_.have_api = true;
  }
  return Status::ok();
}

Status Runner::start_phones() {
  runner::PhoneMediaPoolConfig pool_config;
  pool_config.port_low = ports_.phones_low();
  pool_config.port_high = ports_.phones_high();
  Result<std::unique_ptr<runner::PhoneMediaPool>> pool =
      runner::PhoneMediaPool::create(pool_config);
  if (!pool) return pool.status();
  pool_ = std::move(pool.value());
  if (Status media = phones_.create_media(*pool_, audio_copies_); !media) return media;
  sip::AgentConfig agent_config;
  agent_config.listen_address = "127.0.0.1";
  agent_config.listen_port = static_cast<uint16_t>(free_sip_port(ports_.sip_from() + 10));
  agent_config.tcp = false;
  agent_config.user_agent = "tutti-run";
  Result<std::unique_ptr<sip::Agent>> agent = sip::Agent::create(agent_config, phones_);
  if (!agent) return agent.status();
  agent_ = std::move(agent.value());
  phones_.attach(agent_.get(), sip_target_);
  // Where the server reaches participants that wait for a call (moderator invite).
  invite_host_ = "127.0.0.1:" + std::to_string(agent_config.listen_port);
  return Status::ok();
}

void Runner::sleep_until(double t) {
  while (true) {
    const double now = now_s();
    if (now >= t) return;
    if (options_.progress != nullptr && now - last_progress_s_ >= 0.5) {
      last_progress_s_ = now;
      *options_.progress << "\r  " << scenario_.name << "  t=" << std::fixed << std::setprecision(1)
                         << now << "/" << scenario_.duration_s << " s  events "
                         << (api_ ? api_->events().size() : 0) << "   " << std::flush;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(0.1, t - now)));
  }
}

void Runner::take_rosters_until(double t) {
  while (next_roster_ < roster_expectations_.size()) {
    const std::size_t index = roster_expectations_[next_roster_];
    const auto& roster = std::get<scenario::Roster>(scenario_.expect[index].what);
    if (roster.at_s > t) return;
    sleep_until(roster.at_s);
    if (api_) {
      Result<nlohmann::json> room = api_->get("/api/rooms/" + roster.room);
      if (room) context_.rosters[index] = room.value();
    }
    ++next_roster_;
  }
}

void Runner::moderator(const scenario::Moderator& command) {
  if (!api_) {
    problems_.push_back("moderator " + std::string(moderator_verb_name(command.verb)) +
                        ": no API (a target without `api`)");
    return;
  }
  const std::string room = "/api/rooms/" + command.room;
  std::string path;
  nlohmann::json body = nlohmann::json::object();
  switch (command.verb) {
    case scenario::ModeratorVerb::kMute:
    case scenario::ModeratorVerb::kUnmute:
    case scenario::ModeratorVerb::kKick: {
      Result<uint64_t> id = api_->participant_id(command.room, command.target);
      if (!id) {
        problems_.push_back("moderator " + std::string(moderator_verb_name(command.verb)) + ": " +
                            id.status().message());
        return;
      }
      path = room + "/participants/" + std::to_string(id.value()) + "/" +
             std::string(moderator_verb_name(command.verb));
      break;
    }
    case scenario::ModeratorVerb::kLock:
      path = room + "/lock";
      break;
    case scenario::ModeratorVerb::kUnlock:
      path = room + "/unlock";
      break;
    case scenario::ModeratorVerb::kEnd:
      path = room + "/end";
      break;
    case scenario::ModeratorVerb::kRecordStart:
      path = room + "/recording/start";
      break;
    case scenario::ModeratorVerb::kRecordStop:
      path = room + "/recording/stop";
      break;
    case scenario::ModeratorVerb::kInvite:
      path = room + "/invite";
      body = {{"uri", "sip:" + command.target + "@" + invite_host_}, {"name", command.target}};
      break;
  }
  Result<nlohmann::json> reply = api_->post(path, body);
  if (!reply) problems_.push_back("moderator: " + reply.status().message());
}

bool Runner::execute(const scenario::Step& step) {
  using namespace scenario;
  const Action& a = step.action;
  if (const auto* call = std::get_if<Call>(&a)) phones_.call(call->who, call->number);
  if (const auto* dtmf = std::get_if<Dtmf>(&a)) {
    if (dtmf->method == DtmfMethod::kInfo) {
      phones_.info_digits(dtmf->who, dtmf->digits);
    } else if (auto media = phones_.media(dtmf->who)) {
      if (Status sent = media->send_digits(dtmf->digits); !sent) {
        problems_.push_back(dtmf->who + ": dtmf: " + sent.message());
      }
    }
  }
  if (const auto* send = std::get_if<Send>(&a)) phones_.media(send->who)->start_sending();
  if (const auto* stop = std::get_if<Stop>(&a)) phones_.media(stop->who)->stop_sending();
  // The keypad menu toggles: `1` mute self, `2` listen only (docs/api.md).
  auto key = [&](const std::string& who, const char* digit) {
    if (Status sent = phones_.media(who)->send_digits(digit); !sent) {
      problems_.push_back(who + ": keypad " + digit + ": " + sent.message());
    }
  };
  if (const auto* m = std::get_if<Mute>(&a)) key(m->who, "1");
  if (const auto* m = std::get_if<Unmute>(&a)) key(m->who, "1");
  if (const auto* m = std::get_if<ListenOnly>(&a)) key(m->who, "2");
  if (const auto* m = std::get_if<ListenOnlyOff>(&a)) key(m->who, "2");
  if (const auto* hold = std::get_if<Hold>(&a)) {
    phones_.hold(hold->who, hold->mode == HoldMode::kRecvonly   ? sdp::Direction::kRecvOnly
                            : hold->mode == HoldMode::kInactive ? sdp::Direction::kInactive
                                                                : sdp::Direction::kSendOnly);
  }
  if (const auto* resume = std::get_if<Resume>(&a))
    phones_.hold(resume->who, sdp::Direction::kSendRecv);
  if (const auto* transfer = std::get_if<Transfer>(&a))
    phones_.transfer(transfer->who, transfer->number);
  if (const auto* hangup = std::get_if<Hangup>(&a)) phones_.hangup(hangup->who);
  if (const auto* command = std::get_if<Moderator>(&a)) moderator(*command);
  if (const auto* wait = std::get_if<Wait>(&a)) {
    if (!api_) {
      problems_.push_back("wait for " + wait->event + ": no API to watch events");
      return true;
    }
    if (!api_->wait_event(wait->event, wait->who, wait->room, last_step_s_, wait->timeout_s)) {
      problems_.push_back("wait for " + wait->event + (wait->who.empty() ? "" : " " + wait->who) +
                          ": not seen within " + std::to_string(wait->timeout_s) + " s");
    }
  }
  return true;
}

void Runner::play_timeline() {
  for (std::size_t i = 0; i < scenario_.expect.size(); ++i) {
    if (std::holds_alternative<scenario::Roster>(scenario_.expect[i].what)) {
      roster_expectations_.push_back(i);
    }
  }
  std::sort(roster_expectations_.begin(), roster_expectations_.end(), [&](auto a, auto b) {
    return std::get<scenario::Roster>(scenario_.expect[a].what).at_s <
           std::get<scenario::Roster>(scenario_.expect[b].what).at_s;
  });
  for (const scenario::Step& step : scenario_.timeline) {
    take_rosters_until(step.at_s);
    sleep_until(step.at_s);
    execute(step);
    last_step_s_ = std::min(now_s(), step.at_s);
  }
  take_rosters_until(scenario_.duration_s);
  sleep_until(scenario_.duration_s);
  if (options_.progress != nullptr) *options_.progress << "\n";
}

void Runner::stop_all() {
  context_.end_s = now_s();
  if (agent_) {
    phones_.hang_up_all();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  if (api_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    api_->stop_events();
    context_.events = api_->events();
  }
  if (agent_) agent_->stop(std::chrono::milliseconds(1000));
  if (pool_) pool_->stop();
  if (server_) server_->stop();  // finishes the recordings
}

void Runner::write_heard(const std::string& dir) {
  std::filesystem::create_directories(dir);
  for (const scenario::Participant& participant : scenario_.participants) {
    const auto media = phones_.media(participant.name);
    const std::vector<int16_t> pcm = media->heard(0, scenario_.duration_s);
    SF_INFO info{};
    info.samplerate = media->heard_rate_hz();
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    const std::string path = (std::filesystem::path(dir) / (participant.name + ".wav")).string();
    SNDFILE* out = sf_open(path.c_str(), SFM_WRITE, &info);
    if (out == nullptr) {
      problems_.push_back("cannot write " + path);
      continue;
    }
    sf_write_short(out, pcm.data(), static_cast<sf_count_t>(pcm.size()));
    sf_close(out);
  }
}

Result<RunReport> Runner::run() {
  const int pid_offset = static_cast<int>(getpid() % 8) * 5000;
  ports_.base = options_.port_base != 0 ? options_.port_base : 20000 + pid_offset;
  context_.scenario = &scenario_;
  context_.phones = &phones_;
  work_dir_ = std::filesystem::temp_directory_path() / ("tutti-run-" + std::to_string(getpid()));
  if (Status files = write_audio_files(scenario_, work_dir_ / "audio", audio_copies_); !files) {
    return files;
  }
  if (Status server = start_server(); !server) return server;
  if (Status phones = start_phones(); !phones) return phones;
  const double cpu_before = cpu_seconds();
  start_ = Clock::now() + std::chrono::milliseconds(300);
  if (Status pool = pool_->start(start_); !pool) return pool;
  if (api_) {
    if (Status events = api_->start_events(); !events) problems_.push_back(events.message());
  }
  play_timeline();
  stop_all();
  RunReport report;
  report.scenario = scenario_.name;
  report.source = scenario_.source;
  report.duration_s = scenario_.duration_s;
  report.server_cpu_s = cpu_seconds() - cpu_before;
  report.results = check_expectations(context_);
  if (!options_.out_dir.empty()) write_heard(options_.out_dir);
  report.problems = problems_;
  for (const std::string& p : phones_.problems()) report.problems.push_back(p);
  for (const scenario::Participant& participant : scenario_.participants) {
    PhoneSummary summary;
    summary.name = participant.name;
    const auto media = phones_.media(participant.name);
    const runner::PhoneMediaStats stats = media->stats();
    summary.packets_in = stats.packets_in;
    summary.packets_out = stats.packets_out;
    summary.lost = stats.lost;
    summary.jitter_ms = stats.jitter_ms;
    for (const runner::ReceivedDigit& d : media->digits_received())
      summary.digits_received += d.digit;
    summary.final_status = phones_.record(participant.name).final_status;
    report.phones.push_back(summary);
  }
  if (std::getenv("TUTTI_RUN_KEEP") == nullptr) {  // generated audio, embedded recordings
    std::error_code ignored;
    std::filesystem::remove_all(work_dir_, ignored);
  }
  report.passed =
      report.problems.empty() && std::all_of(report.results.begin(), report.results.end(),
                                             [](const ExpectationResult& r) { return r.passed; });
  return report;
}

}  // namespace

Result<RunReport> run_scenario(const scenario::Scenario& scenario, const RunOptions& options) {
  Runner runner(scenario, options);
  return runner.run();
}

}  // namespace tutti::run
