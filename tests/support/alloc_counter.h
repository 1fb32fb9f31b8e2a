// Counts heap allocations, for the tests that check the real-time contract.
//
// Linking tutti_alloc_counter into a test binary replaces malloc, calloc, realloc,
// aligned_alloc, posix_memalign and free (glibc's __libc_* underneath), which also catches
// operator new/delete and every C library. Sanitizer runtimes own malloc, so under
// TUTTI_SANITIZED nothing is replaced and interposed() is false: such tests skip.
// TUTTI_ALLOC_TRAP=1 in the environment traps on the first counted allocation, so gdb shows
// who allocated.
#pragma once

#include <cstdint>

namespace tutti::test::alloc {

// Which threads count while armed (nullptr: every thread not exempted).
using ThreadFilter = bool (*)();

bool interposed();
void arm(ThreadFilter filter = nullptr);  // resets the count
void disarm();
uint64_t count();
// The calling thread's allocations never count (e.g. a control thread that may allocate).
void exempt_this_thread();

// Called by the replaced allocation functions.
void note_allocation();

}  // namespace tutti::test::alloc
