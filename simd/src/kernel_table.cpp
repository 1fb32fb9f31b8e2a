// CPU detection and the one-time choice of kernel table.
//
// Which ISA TUs exist is decided by simd/CMakeLists.txt and passed in as TUTTI_SIMD_HAVE_X86 /
// TUTTI_SIMD_HAVE_NEON, so this file never names a table that was not built.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "tables.h"
#include "tutti/simd/kernels.h"

namespace tutti::simd {
namespace {

// Levels a CPU of this architecture may have, lowest first.
#if TUTTI_SIMD_HAVE_X86
constexpr Isa kLadder[] = {Isa::kScalar, Isa::kSse41, Isa::kAvx2, Isa::kAvx512};
#elif TUTTI_SIMD_HAVE_NEON
constexpr Isa kLadder[] = {Isa::kScalar, Isa::kNeon};
#else
constexpr Isa kLadder[] = {Isa::kScalar};
#endif

#if TUTTI_SIMD_HAVE_X86
// GCC >= 11 and clang check the OS-enabled XSAVE state (XCR0) in these builtins, not only CPUID,
// so an AVX-512 CPU under an OS that does not save ZMM registers reports no avx512f.
bool x86_supports(Isa isa) {
  __builtin_cpu_init();
  switch (isa) {
    case Isa::kSse41:
      return __builtin_cpu_supports("sse4.1");
    case Isa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    default:
      return false;
  }
}
#endif

// Levels are ordered within one architecture only; scalar is the floor of both.
bool same_family(Isa a, Isa b) { return (a == Isa::kNeon) == (b == Isa::kNeon); }
int level(Isa isa) { return isa == Isa::kNeon ? 1 : static_cast<int>(isa); }

Isa best_supported() {
  Isa best = Isa::kScalar;
  for (Isa isa : kLadder) {
    if (cpu_supports(isa)) best = isa;
  }
  return best;
}

const KernelTable& choose() {
  const Isa best = best_supported();
  const char* env_value = std::getenv("TUTTI_SIMD");
  const Isa chosen = select_isa(best, env_value);
  Isa requested{};
  if (env_value != nullptr && *env_value != '\0' &&
      (!parse_isa(env_value, &requested) || requested != chosen)) {
    std::fprintf(stderr,
                 "tutti: TUTTI_SIMD=%s names no level this CPU can run (scalar, sse41, avx2, "
                 "avx512, neon); using %s\n",
                 env_value, isa_name(chosen).data());
  }
  return *kernels_for(chosen);
}

}  // namespace

Isa select_isa(Isa best_supported, const char* env_value) {
  Isa requested{};
  if (env_value == nullptr || !parse_isa(env_value, &requested)) return best_supported;
  if (requested == Isa::kScalar) return requested;
  if (!same_family(requested, best_supported)) return best_supported;
  return level(requested) <= level(best_supported) ? requested : best_supported;
}

const KernelTable& kernels() {
  static const KernelTable& table = choose();
  return table;
}

const KernelTable* kernels_for(Isa isa) {
  if (!cpu_supports(isa)) return nullptr;
  switch (isa) {
    case Isa::kScalar:
      return &scalar_table();
#if TUTTI_SIMD_HAVE_X86
    case Isa::kSse41:
      return &sse41_table();
    case Isa::kAvx2:
      return &avx2_table();
    case Isa::kAvx512:
      return &avx512_table();
#endif
#if TUTTI_SIMD_HAVE_NEON
    case Isa::kNeon:
      return &neon_table();
#endif
    default:
      return nullptr;
  }
}

bool cpu_supports(Isa isa) {
  if (isa == Isa::kScalar) return true;
#if TUTTI_SIMD_HAVE_X86
  return x86_supports(isa);
#elif TUTTI_SIMD_HAVE_NEON
  return isa == Isa::kNeon;  // Advanced SIMD is mandatory on AArch64
#else
  return false;
#endif
}

std::string_view isa_name(Isa isa) {
  switch (isa) {
    case Isa::kScalar:
      return "scalar";
    case Isa::kSse41:
      return "sse41";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
    case Isa::kNeon:
      return "neon";
  }
  return "unknown";
}

bool parse_isa(std::string_view name, Isa* out) {
  for (Isa isa : {Isa::kScalar, Isa::kSse41, Isa::kAvx2, Isa::kAvx512, Isa::kNeon}) {
    if (name == isa_name(isa)) {
      *out = isa;
      return true;
    }
  }
  return false;
}

}  // namespace tutti::simd
