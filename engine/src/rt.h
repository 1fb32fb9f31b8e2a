// Real-time markers and per-thread floating-point setup.
#pragma once

// TUTTI_RT marks functions on the tick path: they must not allocate, free, lock, block or make
// syscalls. Clang 20+ checks it ([[clang::nonblocking]]); elsewhere it documents, and the
// allocation-counting tests (tests/engine/alloc_test.cpp) check.
#if defined(__clang__) && defined(__has_cpp_attribute)
#if __has_cpp_attribute(clang::nonblocking)
#define TUTTI_RT [[clang::nonblocking]]
#endif
#endif
#ifndef TUTTI_RT
#define TUTTI_RT
#endif

namespace tutti::detail {

// Flush denormals to zero on the calling thread: decaying filter tails and limiter envelopes
// otherwise fall into denormal range and cost 100x per operation. Call on every mixing thread.
void enable_flush_denormals() noexcept;

}  // namespace tutti::detail
