# SPDX-License-Identifier: ISC
# Debian's build flags for an optimised build (the .deb): the compiler and linker hardening
# that dpkg-buildflags gives every Debian package (stack protector, _FORTIFY_SOURCE, format
# checks, RELRO and BIND_NOW), asked of dpkg-buildflags itself so they follow the
# distribution. Not with the sanitizers or in a Debug build: _FORTIFY_SOURCE needs -O, and
# -Werror would turn its warning into a failed build.
# -fno-ident keeps the compiler's version string out of the binaries (.comment).

find_program(BACKUPD_DPKG_BUILDFLAGS_PROGRAM dpkg-buildflags)
set(backupd_optimised FALSE)
if(CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$")
  set(backupd_optimised TRUE)
endif()
if(BACKUPD_DPKG_BUILDFLAGS_PROGRAM AND backupd_optimised AND NOT BACKUPD_SANITIZE)
  set(backupd_default_buildflags ON)
else()
  set(backupd_default_buildflags OFF)
endif()
option(BACKUPD_DPKG_BUILDFLAGS "Compile and link with dpkg-buildflags' hardening flags"
       ${backupd_default_buildflags})

function(backupd_dpkg_flags name out)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env DEB_BUILD_MAINT_OPTIONS=hardening=+all
                          ${BACKUPD_DPKG_BUILDFLAGS_PROGRAM} --get ${name}
                  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "dpkg-buildflags --get ${name} failed")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(${out} ${flags} PARENT_SCOPE)
endfunction()

if(BACKUPD_DPKG_BUILDFLAGS)
  if(NOT BACKUPD_DPKG_BUILDFLAGS_PROGRAM)
    message(FATAL_ERROR "BACKUPD_DPKG_BUILDFLAGS is ON but dpkg-buildflags (dpkg-dev) is missing")
  endif()
  backupd_dpkg_flags(CFLAGS backupd_cflags)
  backupd_dpkg_flags(CPPFLAGS backupd_cppflags)
  backupd_dpkg_flags(LDFLAGS backupd_ldflags)
  add_compile_options(${backupd_cflags} ${backupd_cppflags} -fno-ident)
  add_link_options(${backupd_ldflags})
  message(STATUS "backupd: dpkg-buildflags: ${backupd_cflags} ${backupd_cppflags} ${backupd_ldflags}")
endif()
