// The public Agent: a thin shell over internal::Core (core.h), which holds the design notes.
#include "tutti/sip/agent.h"

#include "core.h"

namespace tutti::sip {

struct Agent::Impl {
  Impl(const AgentConfig& config, Handler& handler) : core(config, handler) {}
  internal::Core core;
};

Result<std::unique_ptr<Agent>> Agent::create(const AgentConfig& config, Handler& handler) {
  if (config.contact_user.empty()) {
    return Status(StatusCode::kInvalidArgument, "contact_user must not be empty");
  }
  auto impl = std::make_unique<Impl>(config, handler);
  Status started = impl->core.start();
  if (!started.is_ok()) return started;
  return std::unique_ptr<Agent>(new Agent(std::move(impl)));
}

Agent::Agent(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Agent::~Agent() { stop(std::chrono::milliseconds(0)); }

void Agent::progress(CallId call, int status, const std::string& sdp) {
  impl_->core.progress(call, status, sdp);
}

void Agent::answer(CallId call, const std::string& sdp) { impl_->core.answer(call, sdp); }

void Agent::reject(CallId call, int status, const std::string& reason) {
  impl_->core.reject(call, status, reason);
}

void Agent::hangup(CallId call) { impl_->core.hangup(call); }

Result<CallId> Agent::invite(const std::string& uri, const std::string& from_display,
                             const std::string& sdp_offer) {
  return impl_->core.invite(uri, from_display, sdp_offer);
}

void Agent::refer_done(CallId call, int status) { impl_->core.refer_done(call, status); }

void Agent::reoffer(CallId call, const std::string& sdp) { impl_->core.reoffer(call, sdp); }

void Agent::refer(CallId call, const std::string& refer_to) { impl_->core.refer(call, refer_to); }

void Agent::send_info_dtmf(CallId call, char digit, int duration_ms) {
  impl_->core.send_info_dtmf(call, digit, duration_ms);
}

void Agent::post(std::function<void()> task) { impl_->core.post(std::move(task)); }

void Agent::every(std::chrono::milliseconds period, std::function<void()> task) {
  impl_->core.every(period, std::move(task));
}

void Agent::stop(std::chrono::milliseconds grace) { impl_->core.stop(grace); }

AgentStats Agent::stats() const { return impl_->core.stats(); }

}  // namespace tutti::sip
