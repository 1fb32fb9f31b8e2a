#include "support/alloc_counter.h"

#include <atomic>
#include <cstddef>
#include <cstdlib>

namespace tutti::test::alloc {
namespace {

std::atomic<bool> g_armed{false};
std::atomic<uint64_t> g_count{0};
std::atomic<ThreadFilter> g_filter{nullptr};
thread_local bool t_exempt = false;
const bool g_trap = std::getenv("TUTTI_ALLOC_TRAP") != nullptr;

}  // namespace

void note_allocation() {
  if (!g_armed.load(std::memory_order_relaxed) || t_exempt) return;
  const ThreadFilter filter = g_filter.load(std::memory_order_relaxed);
  if (filter != nullptr && !filter()) return;
  g_count.fetch_add(1, std::memory_order_relaxed);
  if (g_trap) __builtin_trap();
}

#ifdef TUTTI_SANITIZED
bool interposed() { return false; }
#else
bool interposed() { return true; }
#endif

void arm(ThreadFilter filter) {
  g_filter.store(filter);
  g_count.store(0);
  g_armed.store(true);
}
void disarm() { g_armed.store(false); }
uint64_t count() { return g_count.load(); }
void exempt_this_thread() { t_exempt = true; }

}  // namespace tutti::test::alloc

#ifndef TUTTI_SANITIZED
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);

void* malloc(std::size_t n) {
  tutti::test::alloc::note_allocation();
  return __libc_malloc(n);
}
void* calloc(std::size_t a, std::size_t b) {
  tutti::test::alloc::note_allocation();
  return __libc_calloc(a, b);
}
void* realloc(void* p, std::size_t n) {
  tutti::test::alloc::note_allocation();
  return __libc_realloc(p, n);
}
void* aligned_alloc(std::size_t align, std::size_t n) {
  tutti::test::alloc::note_allocation();
  return __libc_memalign(align, n);
}
int posix_memalign(void** out, std::size_t align, std::size_t n) {
  tutti::test::alloc::note_allocation();
  *out = __libc_memalign(align, n);
  return *out != nullptr ? 0 : 12;  // ENOMEM
}
void free(void* p) {
  tutti::test::alloc::note_allocation();
  __libc_free(p);
}
}  // extern "C"
#endif
