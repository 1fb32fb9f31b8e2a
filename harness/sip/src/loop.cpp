// The SIP thread: libre's stack set up, run and torn down on one std::thread, plus the task
// queue that lets other threads reach it. See core.h for the threading design.
#include <cerrno>
#include <cstring>

#include "core.h"

namespace tutti::sip::internal {
namespace {

// libre_init/libre_close are process-wide; every running agent holds one reference.
std::mutex g_libre_mutex;
int g_libre_users = 0;

bool acquire_libre() {
  std::lock_guard lock(g_libre_mutex);
  if (g_libre_users == 0 && libre_init() != 0) return false;
  ++g_libre_users;
  return true;
}

void release_libre() {
  std::lock_guard lock(g_libre_mutex);
  if (--g_libre_users == 0) libre_close();
}

Status libre_error(const char* what, int err) {
  return {StatusCode::kUnavailable, std::string(what) + ": " + std::strerror(err)};
}

constexpr uint64_t kShutdownPollMs = 10;

}  // namespace

AgentStats Counters::snapshot() const {
  constexpr auto kRelaxed = std::memory_order_relaxed;
  AgentStats stats;
  stats.invites = invites.load(kRelaxed);
  stats.dialed = dialed.load(kRelaxed);
  stats.established = established.load(kRelaxed);
  stats.closed = closed.load(kRelaxed);
  stats.options = options.load(kRelaxed);
  stats.infos = infos.load(kRelaxed);
  stats.refers = refers.load(kRelaxed);
  stats.bad_requests = bad_requests.load(kRelaxed);
  stats.malformed = malformed.load(kRelaxed);
  stats.active_calls = active_calls.load(kRelaxed);
  return stats;
}

Core::Core(AgentConfig config, Handler& handler) : config_(std::move(config)), handler_(handler) {}

Core::~Core() { stop(std::chrono::milliseconds(0)); }

Status Core::start() {
  if (!acquire_libre()) return {StatusCode::kInternal, "libre_init failed"};
  std::promise<Status> started;
  std::future<Status> result = started.get_future();
  thread_ = std::thread([this, &started] { run(&started); });
  Status status = result.get();
  if (!status.is_ok()) {
    thread_.join();
    stop_requested_ = true;
    release_libre();
  }
  return status;
}

void Core::stop(std::chrono::milliseconds grace) {
  // The SIP thread cannot join itself (the contract forbids it); a later call from another
  // thread, or the destructor, still stops the agent.
  if (std::this_thread::get_id() == thread_.get_id()) return;
  if (stop_requested_.exchange(true) || !thread_.joinable()) return;
  post([this, grace] { begin_shutdown(grace); });
  thread_.join();
  release_libre();
}

void Core::post(std::function<void()> task) {
  bool wake = false;
  {
    std::lock_guard lock(tasks_mutex_);
    if (!accepting_) return;
    tasks_.push_back(std::move(task));
    wake = !wake_pending_;
    wake_pending_ = true;
  }
  // The mqueue outlives `accepting_` (closed under the mutex first), so this push is safe;
  // a failed push leaves the task for the next wake-up.
  if (wake) (void)mqueue_push(mq_, 0, nullptr);
}

void Core::every(std::chrono::milliseconds period, std::function<void()> task) {
  const auto period_ms = static_cast<uint64_t>(std::max<int64_t>(1, period.count()));
  post([this, period_ms, task = std::move(task)]() mutable {
    add_periodic(period_ms, std::move(task));
  });
}

// The thread body: libre's per-thread state lives exactly as long as this function.
void Core::run(std::promise<Status>* started) {
  const int err = re_thread_init();
  if (err != 0) {
    started->set_value(libre_error("re_thread_init", err));
    return;
  }
  Status status = open_stack();
  if (status.is_ok()) {
    start_probe(started);  // sets `started` when the probe is back; it dies with start()
    (void)re_main(nullptr);
    report_started({StatusCode::kInternal, "the SIP loop ended before the agent started"});
  } else {
    started->set_value(std::move(status));
  }
  close_stack();
  re_thread_close();
}

Status Core::open_stack() {
  sa laddr{};
  if (sa_set_str(&laddr, config_.listen_address.c_str(), config_.listen_port) != 0) {
    return {StatusCode::kInvalidArgument,
            "listen_address must be numeric: " + config_.listen_address};
  }
  char contact[256];
  (void)re_snprintf(contact, sizeof(contact), "sip:%s@%J", config_.contact_user.c_str(), &laddr);
  contact_uri_ = contact;
  int err = mqueue_alloc(&mq_, on_wakeup, this);
  if (err != 0) return libre_error("mqueue_alloc", err);
  err = sip_alloc(&sip_, nullptr, 32, 32, 32, config_.user_agent.c_str(), nullptr, nullptr);
  if (err != 0) return libre_error("sip_alloc", err);
  err = sip_transp_add(sip_, SIP_TRANSP_UDP, &laddr);
  if (err == 0 && config_.tcp) err = sip_transp_add(sip_, SIP_TRANSP_TCP, &laddr);
  if (err != 0) return libre_error("cannot listen on SIP address", err);
  err = sipsess_listen(&sess_sock_, sip_, 32, on_connect, this);
  if (err == 0) err = sip_listen(&listener_, sip_, true, on_request, this);
  if (err != 0) return libre_error("sip listen", err);
  idle_refs_ = mem_nrefs(sip_);
  std::lock_guard lock(tasks_mutex_);
  accepting_ = true;
  return Status::ok();
}

void Core::close_stack() {
  {
    std::lock_guard lock(tasks_mutex_);
    accepting_ = false;
    tasks_.clear();
  }
  tmr_cancel(&reap_timer_);
  tmr_cancel(&shutdown_timer_);
  close_guard();  // before the stack: libre frees its socket's helpers with the socket
  for (auto& periodic : periodics_) tmr_cancel(&periodic->timer);
  periodics_.clear();
  reap();
  listener_ = static_cast<sip_lsnr*>(mem_deref(listener_));
  sess_sock_ = static_cast<sipsess_sock*>(mem_deref(sess_sock_));
  if (sip_ != nullptr) sip_close(sip_, true);
  sip_ = static_cast<struct sip*>(mem_deref(sip_));
  mq_ = static_cast<mqueue*>(mem_deref(mq_));
}

void Core::on_wakeup(int /*id*/, void* /*data*/, void* arg) {
  static_cast<Core*>(arg)->drain_tasks();
}

void Core::drain_tasks() {
  std::deque<std::function<void()>> batch;
  {
    std::lock_guard lock(tasks_mutex_);
    batch.swap(tasks_);
    wake_pending_ = false;
  }
  for (auto& task : batch) task();
}

void Core::add_periodic(uint64_t period_ms, std::function<void()> task) {
  if (shutting_down_) return;
  auto periodic = std::make_unique<Periodic>();
  periodic->core = this;
  periodic->period_ms = period_ms;
  periodic->task = std::move(task);
  tmr_init(&periodic->timer);
  tmr_start(&periodic->timer, period_ms, on_periodic, periodic.get());
  periodics_.push_back(std::move(periodic));
}

void Core::on_periodic(void* arg) {
  auto* periodic = static_cast<Periodic*>(arg);
  // Re-armed first so the task sees a running timer; shutdown cancels it.
  tmr_start(&periodic->timer, periodic->period_ms, on_periodic, periodic);
  periodic->task();
}

void Core::schedule_reap() { tmr_start(&reap_timer_, 0, on_reap, this); }

void Core::on_reap(void* arg) { static_cast<Core*>(arg)->reap(); }

// Releasing a session makes libre send what ends it (BYE, CANCEL) and keep it until answered.
void Core::reap() {
  auto buried = std::move(graveyard_);
  graveyard_.clear();
  for (auto& call : buried) mem_deref(call->sess);
}

// Hang up everything, then run the loop until libre holds no session or request (its
// references on the stack drop back to the idle count) or the grace period is over.
void Core::begin_shutdown(std::chrono::milliseconds grace) {
  shutting_down_ = true;
  for (auto& periodic : periodics_) tmr_cancel(&periodic->timer);
  std::vector<CallId> ids;
  for (const auto& [value, call] : calls_) ids.push_back(call->id);
  for (CallId id : ids) hangup(id);
  reap();
  shutdown_deadline_ = std::chrono::steady_clock::now() + grace;
  poll_shutdown();
}

void Core::poll_shutdown() {
  const bool drained = mem_nrefs(sip_) <= idle_refs_;
  if (drained || std::chrono::steady_clock::now() >= shutdown_deadline_) {
    re_cancel();  // libre 1.1.0: only the loop's own thread may cancel it
    return;
  }
  tmr_start(&shutdown_timer_, kShutdownPollMs, on_shutdown_poll, this);
}

void Core::on_shutdown_poll(void* arg) { static_cast<Core*>(arg)->poll_shutdown(); }

}  // namespace tutti::sip::internal
