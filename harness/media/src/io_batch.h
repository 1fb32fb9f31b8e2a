// Preallocated buffers for batched datagram I/O: recvmmsg() fills up to kPackets at once,
// sendmmsg() sends what one stream queued in one wake-up. Built once per media thread, reused
// for every call, so no packet ever allocates.
//
// Threads: one instance per media thread.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "endpoint.h"

namespace tutti::media::detail {

inline constexpr std::size_t kMaxDatagramBytes = 2048;

class RecvBatch {
 public:
  static constexpr std::size_t kPackets = 32;

  // Reads up to kPackets datagrams from fd without blocking; returns how many (0 when none).
  std::size_t receive(int fd);
  // The i-th datagram of the last receive(); truncated ones come back empty.
  std::span<const uint8_t> packet(std::size_t i) const;
  const sockaddr* source(std::size_t i) const;
  socklen_t source_length(std::size_t i) const { return messages_[i].msg_hdr.msg_namelen; }

 private:
  std::array<std::array<uint8_t, kMaxDatagramBytes>, kPackets> buffers_{};
  std::array<sockaddr_storage, kPackets> sources_{};
  std::array<iovec, kPackets> iov_{};
  std::array<mmsghdr, kPackets> messages_{};
};

class SendBatch {
 public:
  static constexpr std::size_t kPackets = 16;

  bool full() const { return count_ == kPackets; }
  bool empty() const { return count_ == 0; }
  // The buffer for the next packet; commit() it once written.
  std::span<uint8_t> next() { return buffers_[count_]; }
  void commit(std::size_t bytes, const Endpoint& destination);
  // Sends the queued packets from fd; returns how many the kernel took. Always empties the batch.
  std::size_t flush(int fd);

 private:
  std::array<std::array<uint8_t, kMaxDatagramBytes>, kPackets> buffers_{};
  std::array<Endpoint, kPackets> destinations_{};
  std::array<iovec, kPackets> iov_{};
  std::array<mmsghdr, kPackets> messages_{};
  std::size_t count_ = 0;
};

}  // namespace tutti::media::detail
