#include "io_batch.h"

#include <cerrno>

namespace tutti::media::detail {

std::size_t RecvBatch::receive(int fd) {
  for (std::size_t i = 0; i < kPackets; ++i) {
    iov_[i].iov_base = buffers_[i].data();
    iov_[i].iov_len = buffers_[i].size();
    messages_[i].msg_hdr = msghdr{};
    messages_[i].msg_hdr.msg_name = &sources_[i];
    messages_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    messages_[i].msg_hdr.msg_iov = &iov_[i];
    messages_[i].msg_hdr.msg_iovlen = 1;
    messages_[i].msg_len = 0;
  }
  const int n = recvmmsg(fd, messages_.data(), kPackets, MSG_DONTWAIT, nullptr);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::span<const uint8_t> RecvBatch::packet(std::size_t i) const {
  if ((messages_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0) return {};
  return {buffers_[i].data(), messages_[i].msg_len};
}

const sockaddr* RecvBatch::source(std::size_t i) const {
  return reinterpret_cast<const sockaddr*>(&sources_[i]);
}

void SendBatch::commit(std::size_t bytes, const Endpoint& destination) {
  destinations_[count_] = destination;
  iov_[count_].iov_base = buffers_[count_].data();
  iov_[count_].iov_len = bytes;
  messages_[count_].msg_hdr = msghdr{};
  // sendmmsg() does not write through msg_name; the cast only drops the const of its type.
  messages_[count_].msg_hdr.msg_name = const_cast<sockaddr*>(destinations_[count_].address());
  messages_[count_].msg_hdr.msg_namelen = destinations_[count_].length();
  messages_[count_].msg_hdr.msg_iov = &iov_[count_];
  messages_[count_].msg_hdr.msg_iovlen = 1;
  ++count_;
}

std::size_t SendBatch::flush(int fd) {
  std::size_t at = 0;
  std::size_t sent = 0;
  while (at < count_) {
    const int n = sendmmsg(fd, messages_.data() + at, static_cast<unsigned>(count_ - at), 0);
    if (n > 0) {
      at += static_cast<std::size_t>(n);
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;  // socket buffer full: the rest of this wake-up's packets are dropped
    } else {
      ++at;  // this packet's destination refused it; the others may still go
    }
  }
  count_ = 0;
  return sent;
}

}  // namespace tutti::media::detail
