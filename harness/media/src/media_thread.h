// One media thread: an epoll set over its streams' sockets, woken by packets, by its command
// eventfd, and at least every 2-5 ms to drain the engine links and send.
//
// Control -> media hand-off: the control thread appends a command under mutex_ and writes the
// eventfd; the media thread swaps the whole pending vector out under the same mutex (the swap
// moves buffers, so the media thread never allocates), applies the commands after handling the
// packets of that wake-up, then publishes `applied_` under the mutex and notifies. attach,
// retarget and detach wait for that acknowledgement, which is what lets the control thread free
// a detached stream or a replaced Target: the mutex orders every media-thread access to them
// before the control thread's free. The media thread itself only ever holds mutex_ for a swap
// and never waits on the control thread.
//
// Threads: the public calls are for the (one) control thread.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "io_batch.h"
#include "stream.h"
#include "stream_io.h"
#include "tutti/status.h"

namespace tutti::media::detail {

class MediaThread {
 public:
  MediaThread(const MediaContext& context, int max_streams);
  ~MediaThread();
  MediaThread(const MediaThread&) = delete;
  MediaThread& operator=(const MediaThread&) = delete;

  // Creates the epoll set and eventfd and starts the thread.
  Status start();
  // Stops and joins the thread; streams still attached are left as they are.
  void stop();

  // Hand a stream to this thread with its first target; returns once it is served.
  void attach(Stream& stream, Target& target);
  // Switch the stream to a new target at a packet boundary; the old one is the caller's again
  // on return.
  void retarget(Stream& stream, Target& target);
  // Sends the stream's RTCP BYE and stops serving it; the stream is the caller's on return.
  void detach(Stream& stream);
  // Queues an RFC 4733 digit; returns at once.
  void send_digit(Stream& stream, uint8_t event, int duration_ms);

 private:
  enum class CommandType { kAttach, kRetarget, kDetach, kDigit };
  struct Command {
    CommandType type = CommandType::kDigit;
    Stream* stream = nullptr;
    Target* target = nullptr;
    uint8_t event = 0;
    int duration_ms = 0;
  };

  uint64_t post(const Command& command);
  void wait_applied(uint64_t sequence);
  void run();
  void handle_readable(const SocketTag& tag, int64_t now_us);
  void pump(int64_t now_us);
  void apply_commands(int64_t now_us);
  void apply(const Command& command, int64_t now_us);
  void on_attach(Stream& stream, Target& target, int64_t now_us);
  void on_retarget(Stream& stream, Target& target);
  void on_detach(Stream& stream, int64_t now_us);

  const MediaContext context_;
  const int64_t pump_interval_us_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
  std::atomic<bool> running_{false};

  std::mutex mutex_;
  std::condition_variable applied_cv_;
  std::vector<Command> pending_;  // guarded by mutex_
  uint64_t posted_ = 0;           // guarded by mutex_
  uint64_t applied_ = 0;          // guarded by mutex_

  // Media thread only (allocated up front).
  std::vector<Command> work_;
  std::vector<Stream*> streams_;
  std::unique_ptr<RecvBatch> recv_;
  std::unique_ptr<SendBatch> send_;
  std::array<uint8_t, kMaxDatagramBytes> scratch_{};
  int64_t next_pump_us_ = 0;
};

}  // namespace tutti::media::detail
