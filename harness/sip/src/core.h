// The SIP agent's insides: one libre stack driven by re_main() on the SIP thread.
//
// Threads. Core's public entry points fall in two groups. post(), every(), stop() and stats()
// run on any thread: the first two push onto `tasks_` (mutex, never held across a callback)
// and wake the loop through a libre mqueue, written only when the queue goes from empty to
// non-empty so its pipe never fills. Everything else, and every libre object, belongs to the
// SIP thread: libre 1.1.0 keeps its poll set and timer list per thread (re_thread_init), and
// its reference counts are not atomic.
//
// Start. open_stack() listens, then the stack sends itself a probe (malformed.cpp) to learn its
// UDP socket; start() returns once the probe is back (or after a deadline).
//
// Lifetimes. Each call is a Call owned by `calls_` while it lives; its sipsess (when it has
// one) carries the Call* as handler argument. finish() moves a Call to `graveyard_` and a
// zero-delay timer releases the sessions from the top of the loop, never from inside a libre
// callback that may still touch the session. libre swaps in its own handlers once the session
// is released, so no callback reaches a buried Call.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "libre.h"
#include "tutti/sip/agent.h"

namespace tutti::sip::internal {

enum class CallState {
  kOffered,      // incoming, inside on_invite: no session yet
  kEarly,        // incoming, a 1xx sent
  kAnswered,     // incoming, 200 sent, waiting for the ACK
  kDialing,      // outgoing, waiting for the final response
  kEstablished,  // either way
  kClosed,       // on_closed delivered; waiting to be released
};

class Core;

struct Call {
  Core* core = nullptr;
  CallId id;
  CallState state = CallState::kOffered;
  sipsess* sess = nullptr;
  const sip_msg* invite = nullptr;  // only while kOffered (valid during on_invite)
  std::string answer_sdp;           // dial-out: the 200's SDP, reported once the ACK is out
  bool refer_pending = false;       // an accepted REFER waits for refer_done()
  // Requests we sent (uac_dialog.cpp), while they wait for a final response. libre clears them
  // when that arrives; finish() releases them earlier, which also silences their handlers.
  struct sip_request* reoffer_request = nullptr;
  struct sip_request* refer_request = nullptr;
  std::string queued_offer;  // a reoffer() made while reoffer_request was in flight
};

struct Periodic {
  Core* core = nullptr;
  tmr timer{};
  uint64_t period_ms = 0;
  std::function<void()> task;
};

struct Counters {
  std::atomic<uint64_t> invites{0}, dialed{0}, established{0}, closed{0}, options{0}, infos{0},
      refers{0}, bad_requests{0}, malformed{0}, active_calls{0};
  AgentStats snapshot() const;
};

inline void bump(std::atomic<uint64_t>& counter) {
  counter.fetch_add(1, std::memory_order_relaxed);
}

class Core {
 public:
  Core(AgentConfig config, Handler& handler);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  // Any thread (loop.cpp).
  Status start();
  void stop(std::chrono::milliseconds grace);
  void post(std::function<void()> task);
  void every(std::chrono::milliseconds period, std::function<void()> task);
  AgentStats stats() const { return counters_.snapshot(); }

  // SIP thread (calls.cpp, in_dialog.cpp).
  void progress(CallId id, int status, const std::string& sdp);
  void answer(CallId id, const std::string& sdp);
  void reject(CallId id, int status, const std::string& reason);
  void hangup(CallId id);
  Result<CallId> invite(const std::string& uri, const std::string& from_display,
                        const std::string& sdp_offer);
  void refer_done(CallId id, int status);
  void reoffer(CallId id, const std::string& sdp);  // uac_dialog.cpp
  void refer(CallId id, const std::string& refer_to);
  void send_info_dtmf(CallId id, char digit, int duration_ms);

 private:
  // loop.cpp
  void run(std::promise<Status>* started);
  Status open_stack();
  void close_stack();
  void drain_tasks();
  void begin_shutdown(std::chrono::milliseconds grace);
  void poll_shutdown();
  void add_periodic(uint64_t period_ms, std::function<void()> task);
  void schedule_reap();
  void reap();
  static void on_wakeup(int id, void* data, void* arg);
  static void on_periodic(void* arg);
  static void on_reap(void* arg);
  static void on_shutdown_poll(void* arg);

  // malformed.cpp
  void start_probe(std::promise<Status>* started);
  bool take_probe(const sip_msg& msg);
  void report_started(Status status);
  void close_guard();
  static bool on_datagram(sa* src, mbuf* mb, void* arg);
  static void on_probe_timeout(void* arg);

  // calls.cpp
  Call* find(CallId id);
  Call* find_by_dialog(const sip_msg& msg);  // the live call whose dialog `msg` belongs to
  Call* add_call(CallState state);
  void finish(Call& call, int status, const std::string& reason);
  int accept_session(Call& call, int status, const char* reason, mbuf* sdp);
  static void on_connect(const sip_msg* msg, void* arg);
  void handle_invite(const sip_msg& msg);
  static int on_answer(const sip_msg* msg, void* arg);
  static void on_progress(const sip_msg* msg, void* arg);
  static void on_established(const sip_msg* msg, void* arg);
  static void on_close(int err, const sip_msg* msg, void* arg);

  // in_dialog.cpp
  static int on_offer(mbuf** descp, const sip_msg* msg, void* arg);
  static void on_info(struct sip* stack, const sip_msg* msg, void* arg);
  static void on_refer(struct sip* stack, const sip_msg* msg, void* arg);
  static bool on_request(const sip_msg* msg, void* arg);
  void handle_info(Call& call, const sip_msg& msg);
  void handle_refer(Call& call, const sip_msg& msg);
  void handle_update(const sip_msg& msg);
  int send_notify(Call& call, const std::string& sipfrag, bool final);
  void reply(const sip_msg& msg, int status, const char* reason, const std::string& headers);

  // uac_dialog.cpp
  int send_reinvite(Call& call, const std::string& sdp);
  void report_refer_status_soon(CallId id, int status);
  void handle_notify(const sip_msg& msg);
  static void on_reinvite_response(int err, const sip_msg* msg, void* arg);
  static void on_refer_response(int err, const sip_msg* msg, void* arg);
  static void on_info_response(int err, const sip_msg* msg, void* arg);

  const AgentConfig config_;
  Handler& handler_;
  Counters counters_;
  std::string contact_uri_;  // "sip:tutti@127.0.0.1:5060"

  std::thread thread_;
  std::atomic<bool> stop_requested_{false};

  std::mutex tasks_mutex_;
  std::deque<std::function<void()>> tasks_;  // guarded by tasks_mutex_
  bool wake_pending_ = false;                // guarded by tasks_mutex_
  bool accepting_ = false;                   // guarded by tasks_mutex_: mq_ is alive

  // SIP thread only.
  mqueue* mq_ = nullptr;
  struct sip* sip_ = nullptr;
  sipsess_sock* sess_sock_ = nullptr;
  sip_lsnr* listener_ = nullptr;
  uint32_t idle_refs_ = 0;  // references on sip_ with no call or request in flight
  uint64_t next_call_ = 1;
  std::map<uint64_t, std::unique_ptr<Call>> calls_;
  std::vector<std::unique_ptr<Call>> graveyard_;
  std::list<std::unique_ptr<Periodic>> periodics_;
  tmr reap_timer_{};
  tmr shutdown_timer_{};
  std::promise<Status>* started_ = nullptr;  // start() waits on it until the probe is back
  std::string probe_call_id_;
  tmr probe_timer_{};
  udp_sock* udp_sock_ = nullptr;     // libre's SIP/UDP socket (one reference), from the probe
  udp_helper* udp_guard_ = nullptr;  // counts what libre would drop as not SIP
  bool shutting_down_ = false;
  std::chrono::steady_clock::time_point shutdown_deadline_{};
};

// "Allow" of every response that carries one.
inline constexpr const char* kAllowedMethods =
    "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REFER, NOTIFY, UPDATE";

const char* reason_phrase(int status);

}  // namespace tutti::sip::internal
