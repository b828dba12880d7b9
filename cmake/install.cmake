# SPDX-License-Identifier: ISC
# Installs the systemd integration and the configuration next to the binaries that
# daemon/CMakeLists.txt installs. Directories come from systemd's pkg-config file; each is a
# cache variable so a distribution can override it.

function(backupd_systemd_dir var pkgvar fallback doc)
  pkg_get_variable(found systemd ${pkgvar})
  if(NOT found)
    set(found ${fallback})
  endif()
  set(${var} ${found} CACHE PATH ${doc})
endfunction()

backupd_systemd_dir(BACKUPD_SYSTEMD_UNIT_DIR systemdsystemunitdir /usr/lib/systemd/system
                    "Where systemd unit files go")
backupd_systemd_dir(BACKUPD_SYSTEMD_CATALOG_DIR catalogdir /usr/lib/systemd/catalog
                    "Where journal message catalogs go")
backupd_systemd_dir(BACKUPD_SYSUSERS_DIR sysusersdir /usr/lib/sysusers.d
                    "Where sysusers.d snippets go")

set(systemd_src ${PROJECT_SOURCE_DIR}/systemd)
configure_file(${systemd_src}/backupd.service.in ${PROJECT_BINARY_DIR}/systemd/backupd.service @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/systemd/backupd.service ${systemd_src}/backupd.socket
        DESTINATION ${BACKUPD_SYSTEMD_UNIT_DIR})
install(FILES ${systemd_src}/backupd.sysusers DESTINATION ${BACKUPD_SYSUSERS_DIR}
        RENAME backupd.conf)
# The catalog is written on its own branch; install it once it exists.
if(EXISTS ${systemd_src}/backupd.catalog)
  install(FILES ${systemd_src}/backupd.catalog DESTINATION ${BACKUPD_SYSTEMD_CATALOG_DIR})
endif()
if(EXISTS ${PROJECT_SOURCE_DIR}/conf/backupd.conf)
  install(FILES ${PROJECT_SOURCE_DIR}/conf/backupd.conf DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR})
endif()
install(DIRECTORY DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/backupd.conf.d)
# Apple's root CA, pinned for gdmf.apple.com (its chain ends there; Debian's store lacks it).
install(FILES ${PROJECT_SOURCE_DIR}/conf/apple-root-ca.pem DESTINATION ${CMAKE_INSTALL_FULL_DATADIR}/backupd)
# Example alert commands (AlertCommand=): programs backupd runs, so under lib/ (Debian policy
# 10.4; dpkg may leave /usr/share/doc out). They read their settings from /etc/default and
# can be named as they are, or copied to /usr/local/lib/backupd/ to be changed.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/conf/alert-commands/mail-sendmail
                 ${PROJECT_SOURCE_DIR}/conf/alert-commands/chat-webhook
        DESTINATION lib/backupd/alert-commands)

# /usr/share/doc/backupd: the README, the admin guides of docs/ (pairing, many carts,
# packaging notes), the control protocol's JSON fields (the comment of
# include/control_protocol.h, the one place they are written down), the copyright file and
# the Debian changelog. A snapshot build (see version.cmake) gets a changelog entry of its
# own, so the packaged changelog always names the packaged version.
set(doc_build ${PROJECT_BINARY_DIR}/doc)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/include/control_protocol.h ${systemd_src}/deb/changelog)
file(READ ${PROJECT_SOURCE_DIR}/include/control_protocol.h protocol_header)
string(REGEX MATCH "^/\\*[^\n]*\n(([^*]|\\*[^/])*)\\*/" protocol_comment "${protocol_header}")
string(REGEX REPLACE "(^|\n) \\* ?" "\\1" protocol_text "${CMAKE_MATCH_1}")
file(WRITE ${doc_build}/control-protocol.txt
     "backupd's control socket protocol (from include/control_protocol.h)\n\n${protocol_text}")

file(READ ${systemd_src}/deb/changelog released_changelog)
set(snapshot_entry "")
if(NOT BACKUPD_FULL_VERSION STREQUAL BACKUPD_RELEASE_VERSION)
  set(saved_epoch "$ENV{SOURCE_DATE_EPOCH}")
  set(ENV{SOURCE_DATE_EPOCH} ${BACKUPD_GIT_DATE})
  string(TIMESTAMP snapshot_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
  set(ENV{SOURCE_DATE_EPOCH} "${saved_epoch}")
  string(REGEX REPLACE ".*\\.g" "" snapshot_commit ${BACKUPD_FULL_VERSION})
  set(snapshot_entry "backupd (${BACKUPD_FULL_VERSION}) UNRELEASED; urgency=medium\n\n\
  * Snapshot of commit ${snapshot_commit}, after release ${BACKUPD_RELEASE_VERSION}.\n\n\
 -- ${BACKUPD_MAINTAINER}  ${snapshot_date}\n\n")
endif()
file(WRITE ${doc_build}/changelog.in "${snapshot_entry}${released_changelog}")
add_custom_command(OUTPUT ${doc_build}/changelog.gz
                   COMMAND sh -c "gzip -9nc changelog.in >changelog.gz"
                   DEPENDS ${doc_build}/changelog.in WORKING_DIRECTORY ${doc_build}
                   COMMENT "Compressing the Debian changelog")
add_custom_target(backupd_changelog ALL DEPENDS ${doc_build}/changelog.gz)

install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/pairing.md
              ${PROJECT_SOURCE_DIR}/docs/many-carts.md ${PROJECT_SOURCE_DIR}/docs/packaging.md
              ${doc_build}/control-protocol.txt
              ${systemd_src}/deb/copyright ${doc_build}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# bash completion, where bash-completion looks for it (its pkg-config file's completionsdir),
# else where bash-completion's default layout puts it under the prefix.
pkg_get_variable(completions_found bash-completion completionsdir)
if(NOT completions_found OR NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(completions_found ${CMAKE_INSTALL_FULL_DATADIR}/bash-completion/completions)
endif()
set(BACKUPD_BASH_COMPLETION_DIR ${completions_found} CACHE PATH "Where bash completions go")
install(FILES ${PROJECT_SOURCE_DIR}/completion/backupctl DESTINATION ${BACKUPD_BASH_COMPLETION_DIR})

# What dh_strip also removes: the .comment section (compiler versions, from the C runtime's
# start files too, so -fno-ident alone does not remove it). Only for the hardened package
# build (buildflags.cmake); runs after the programs' own install rules (policy CMP0082).
if(BACKUPD_DPKG_BUILDFLAGS)
  find_program(BACKUPD_OBJCOPY objcopy REQUIRED)
  install(CODE "
    foreach(program ${CMAKE_INSTALL_SBINDIR}/backupd ${CMAKE_INSTALL_BINDIR}/backupctl)
      execute_process(COMMAND \"${BACKUPD_OBJCOPY}\" --remove-section=.comment
                              \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/\${program}\"
                      COMMAND_ERROR_IS_FATAL ANY)
    endforeach()")
endif()
