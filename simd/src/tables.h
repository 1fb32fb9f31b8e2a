// Private to tutti_simd (and its tests): one accessor per ISA translation unit, plus the pure
// selection rule behind kernels(). Only declarations here; every intrinsic stays in its own TU.
#pragma once

#include "tutti/simd/kernels.h"

namespace tutti::simd {

const KernelTable& scalar_table();
#if TUTTI_SIMD_HAVE_X86
const KernelTable& sse41_table();
const KernelTable& avx2_table();
const KernelTable& avx512_table();
#endif
#if TUTTI_SIMD_HAVE_NEON
const KernelTable& neon_table();
#endif

// The level kernels() uses, given the best level this CPU supports and the value of TUTTI_SIMD
// (nullptr when unset). The variable can only lower the level: a request above best_supported,
// from the other architecture, or that does not parse yields best_supported. Pure, for tests.
Isa select_isa(Isa best_supported, const char* env_value);

}  // namespace tutti::simd
