// MediaHub: the control side. Streams are opened on a port pair, given to the least-loaded
// media thread on start(), and every change goes through that thread's acknowledged commands
// (media_thread.h), so nothing a media thread can see is freed under it.
#include "tutti/media/media_hub.h"

#include <unistd.h>

#include <algorithm>
#include <random>
#include <unordered_map>
#include <vector>

#include "dtmf_inbox.h"
#include "media_thread.h"
#include "port_allocator.h"
#include "stream_setup.h"
#include "tutti/rtp/telephone_event.h"

namespace tutti::media {

using detail::Endpoint;
using detail::MediaThread;
using detail::Stream;
using detail::Target;

struct MediaHub::Impl {
  struct Entry {
    std::unique_ptr<Stream> stream;
    std::size_t thread = 0;
    std::unique_ptr<Target> target;  // null until start()
  };

  Impl(const MediaHubConfig& c, const Endpoint& bind)
      : config(c), bind_address(bind), ports(bind, c.port_low, c.port_high), random(seed()) {}

  static uint32_t seed() { return std::random_device{}(); }
  Entry* find(StreamId id) {
    const auto it = streams.find(id.value);
    return it == streams.end() ? nullptr : &it->second;
  }

  MediaHubConfig config;
  Endpoint bind_address;
  detail::PortAllocator ports;
  detail::DtmfInbox inbox;
  std::vector<std::unique_ptr<MediaThread>> threads;
  std::vector<int> thread_load;
  std::unordered_map<uint32_t, Entry> streams;
  uint32_t next_id = 1;
  StreamStats closed;
  std::mt19937 random;
};

namespace {

Status check_config(const MediaHubConfig& c) {
  const auto invalid = [](std::string m) { return Status(StatusCode::kInvalidArgument, m); };
  if (c.port_low == 0 || c.port_low % 2 != 0 || c.port_low > c.port_high || c.port_high == 65535) {
    return invalid("media: port range must be even port_low <= port_high < 65535");
  }
  if (c.threads < 1 || c.threads > 64) return invalid("media: threads must be 1..64");
  if (c.tick_ms <= 0 || 1000 % c.tick_ms != 0) return invalid("media: tick_ms must divide 1000");
  if (c.max_streams < 1) return invalid("media: max_streams must be at least 1");
  if (c.rtcp_interval_ms < 10) return invalid("media: rtcp_interval_ms must be at least 10");
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<MediaHub>> MediaHub::create(const MediaHubConfig& config) {
  if (Status s = check_config(config); !s) return s;
  const std::optional<Endpoint> bind = detail::parse_endpoint(config.bind_address, 0);
  if (!bind) {
    return Status(StatusCode::kInvalidArgument,
                  "media: bind_address '" + config.bind_address + "' is not a numeric address");
  }
  auto impl = std::make_unique<Impl>(config, *bind);
  detail::MediaContext context;
  context.tick_ms = config.tick_ms;
  context.rtcp_interval_ms = config.rtcp_interval_ms;
  context.inbox = &impl->inbox;
  for (int i = 0; i < config.threads; ++i) {
    impl->threads.push_back(std::make_unique<MediaThread>(context, config.max_streams));
    impl->thread_load.push_back(0);
    if (Status s = impl->threads.back()->start(); !s) return s;
  }
  return std::unique_ptr<MediaHub>(new MediaHub(std::move(impl)));
}

MediaHub::MediaHub(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MediaHub::~MediaHub() {
  std::vector<uint32_t> ids;
  for (const auto& [id, entry] : impl_->streams) ids.push_back(id);
  for (const uint32_t id : ids) close(StreamId{id});
  for (auto& thread : impl_->threads) thread->stop();
}

Result<OpenedStream> MediaHub::open_stream() {
  Impl& h = *impl_;
  if (h.streams.size() >= static_cast<std::size_t>(h.config.max_streams)) {
    return Status(StatusCode::kResourceExhausted, "media: max_streams streams are open");
  }
  const std::optional<detail::PortPair> pair = h.ports.allocate();
  if (!pair) {
    return Status(StatusCode::kResourceExhausted, "media: no free RTP port pair in " +
                                                      std::to_string(h.config.port_low) + ".." +
                                                      std::to_string(h.config.port_high));
  }
  auto stream = std::make_unique<Stream>();
  stream->id = StreamId{h.next_id++};
  stream->rtp_port = pair->rtp_port;
  stream->rtp_fd = pair->rtp_fd;
  stream->rtcp_fd = pair->rtcp_fd;
  stream->ssrc = static_cast<uint32_t>(h.random());
  stream->timestamp_base = static_cast<uint32_t>(h.random());
  stream->first_sequence = static_cast<uint16_t>(h.random());
  Impl::Entry entry;
  const auto least = std::min_element(h.thread_load.begin(), h.thread_load.end());
  entry.thread = static_cast<std::size_t>(least - h.thread_load.begin());
  ++*least;
  entry.stream = std::move(stream);
  OpenedStream opened;
  opened.id = entry.stream->id;
  opened.rtp_port = pair->rtp_port;
  h.streams.emplace(opened.id.value, std::move(entry));
  return opened;
}

Status MediaHub::start(StreamId stream, const StreamParams& params) {
  Impl::Entry* e = impl_->find(stream);
  if (e == nullptr) return {StatusCode::kNotFound, "media: no such stream"};
  if (e->target) return {StatusCode::kFailedPrecondition, "media: stream already started"};
  auto target = detail::make_target(params, impl_->bind_address.family(), impl_->config.tick_ms);
  if (!target) return target.status();
  e->target = std::move(*target);
  impl_->threads[e->thread]->attach(*e->stream, *e->target);
  return Status::ok();
}

Status MediaHub::update(StreamId stream, const StreamParams& params) {
  Impl::Entry* e = impl_->find(stream);
  if (e == nullptr) return {StatusCode::kNotFound, "media: no such stream"};
  if (!e->target) return {StatusCode::kFailedPrecondition, "media: stream not started"};
  auto target = detail::make_target(params, impl_->bind_address.family(), impl_->config.tick_ms);
  if (!target) return target.status();
  impl_->threads[e->thread]->retarget(*e->stream, **target);
  e->target = std::move(*target);  // the media thread has let go of the old one
  return Status::ok();
}

void MediaHub::close(StreamId stream) {
  Impl& h = *impl_;
  Impl::Entry* e = h.find(stream);
  if (e == nullptr) return;
  if (e->target) h.threads[e->thread]->detach(*e->stream);
  ::close(e->stream->rtp_fd);
  ::close(e->stream->rtcp_fd);
  h.ports.release(e->stream->rtp_port);
  --h.thread_load[e->thread];
  detail::add_stats(h.closed, e->stream->counters.snapshot());
  h.streams.erase(stream.value);
}

Status MediaHub::send_dtmf(StreamId stream, char digit, int duration_ms) {
  Impl::Entry* e = impl_->find(stream);
  if (e == nullptr) return {StatusCode::kNotFound, "media: no such stream"};
  if (!e->target || !e->target->params.telephone_event_pt) {
    return {StatusCode::kFailedPrecondition, "media: no telephone-event agreed on this stream"};
  }
  const std::optional<uint8_t> event = rtp::digit_to_event(digit);
  if (!event) return {StatusCode::kInvalidArgument, "media: digit must be 0-9, *, #, A-D"};
  if (duration_ms < 20 || duration_ms > 1000) {
    return {StatusCode::kInvalidArgument, "media: duration_ms must be 20..1000"};
  }
  impl_->threads[e->thread]->send_digit(*e->stream, *event, duration_ms);
  return Status::ok();
}

std::size_t MediaHub::poll_dtmf(std::span<DtmfEvent> out) { return impl_->inbox.pop(out); }

Result<StreamStats> MediaHub::stats(StreamId stream) const {
  const Impl::Entry* e = impl_->find(stream);
  if (e == nullptr) return Status(StatusCode::kNotFound, "media: no such stream");
  return e->stream->counters.snapshot();
}

StreamStats MediaHub::totals() const {
  StreamStats total = impl_->closed;
  for (const auto& [id, entry] : impl_->streams) {
    detail::add_stats(total, entry.stream->counters.snapshot());
  }
  return total;
}

int MediaHub::open_streams() const { return static_cast<int>(impl_->streams.size()); }

}  // namespace tutti::media
