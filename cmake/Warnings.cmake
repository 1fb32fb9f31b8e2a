# tutti_warnings(target): the project's warning set, errors in CI (TUTTI_WERROR=ON).
function(tutti_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference
    -Wimplicit-fallthrough)
  get_target_property(lang_c ${target} LINKER_LANGUAGE)
  if(TUTTI_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# C sources must not get C++-only flags.
function(tutti_c_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(TUTTI_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
