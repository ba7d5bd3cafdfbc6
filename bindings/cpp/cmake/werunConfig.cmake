# CMake package file for werun, installed by `make install` (and shipped in the release
# archive) as ${LIBDIR}/cmake/werun/werunConfig.cmake. It defines two IMPORTED targets, each
# with the directory of werun.h and werun.hpp (werun.hpp needs C++17; werun.h is plain C):
#
#   werun::werun    the static library libwerun.a, with the native libraries a Rust static
#                   library needs
#   werun::shared   the shared library libwerun.so (soname @SONAME@); the program needs it at
#                   run time (an rpath, which CMake sets in the build tree, ldconfig or
#                   LD_LIBRARY_PATH)
#
#   find_package(werun 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE werun::werun)     # or werun::shared
#
# Paths are found relative to this file, so the install prefix can be moved.

cmake_minimum_required(VERSION 3.14)

# This file is in <LIBDIR>/cmake/werun/.
get_filename_component(_werun_libdir "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

# The headers: <PREFIX>/include beside <PREFIX>/lib (or beside <PREFIX>/lib/<multiarch>).
set(_werun_includedir "")
foreach(_werun_candidate "${_werun_libdir}/../include" "${_werun_libdir}/../../include")
  if(_werun_includedir STREQUAL "" AND EXISTS "${_werun_candidate}/werun.h")
    get_filename_component(_werun_includedir "${_werun_candidate}" ABSOLUTE)
  endif()
endforeach()

if(NOT EXISTS "${_werun_libdir}/libwerun.a" OR _werun_includedir STREQUAL "")
  set(werun_FOUND FALSE)
  set(werun_NOT_FOUND_MESSAGE
      "werun: libwerun.a (in ${_werun_libdir}) or werun.h (in ${_werun_libdir}/../include) is missing: reinstall with `make install PREFIX=...`")
  unset(_werun_libdir)
  unset(_werun_includedir)
  unset(_werun_candidate)
  return()
endif()

if(NOT TARGET werun::werun)
  add_library(werun::werun STATIC IMPORTED)
  set_target_properties(werun::werun PROPERTIES
    IMPORTED_LOCATION "${_werun_libdir}/libwerun.a"
    IMPORTED_LINK_INTERFACE_LANGUAGES "C"
    INTERFACE_INCLUDE_DIRECTORIES "${_werun_includedir}"
    # `cargo rustc --print native-static-libs` for the Linux build (docs/c-abi.md, "Build").
    INTERFACE_LINK_LIBRARIES "gcc_s;util;rt;pthread;m;dl;c")
endif()

if(NOT TARGET werun::shared AND EXISTS "${_werun_libdir}/libwerun.so")
  add_library(werun::shared SHARED IMPORTED)
  set_target_properties(werun::shared PROPERTIES
    IMPORTED_LOCATION "${_werun_libdir}/libwerun.so"
    IMPORTED_SONAME "@SONAME@"
    INTERFACE_INCLUDE_DIRECTORIES "${_werun_includedir}")
endif()

set(werun_INCLUDE_DIR "${_werun_includedir}")
set(werun_LIBRARY "${_werun_libdir}/libwerun.a")
unset(_werun_libdir)
unset(_werun_includedir)
unset(_werun_candidate)
