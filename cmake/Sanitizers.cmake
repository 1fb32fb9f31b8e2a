# Applied to everything in the build (including tests), so instrumented and plain code never mix.
if(TUTTI_SANITIZE)
  # -g1: line tables, enough for symbolized reports, and much quicker to compile than -g.
  add_compile_options(-fsanitize=${TUTTI_SANITIZE} -fno-omit-frame-pointer -g1)
  add_link_options(-fsanitize=${TUTTI_SANITIZE})
  # GCC's -Wmaybe-uninitialized misfires inside libstdc++ (std::regex, std::function) once ASan's
  # instrumentation is inlined; it is a known false positive and -Werror would stop the build.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  if(TUTTI_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
  add_compile_definitions(TUTTI_SANITIZED=1)
endif()
