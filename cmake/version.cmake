# SPDX-License-Identifier: ISC
# The version, from two sources that cannot disagree with the package:
# - the release: the top entry of systemd/deb/changelog (bumped with each release's notes);
# - the snapshot: a build from a git checkout appends "+git<N>.g<hash>", N being the number
#   of commits in its history, so a package built from any later commit is an upgrade in
#   dpkg's order (0.1.0 < 0.1.0+git90.g1234abc < 0.1.0+git91.gabcdef0 < 0.2.0).
# A source tree without git (a release tarball) is the release version as it stands.
# Included before project(): sets BACKUPD_RELEASE_VERSION, BACKUPD_FULL_VERSION and
# BACKUPD_GIT_DATE (the commit's date, for the snapshot's changelog entry).

file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/../systemd/deb/changelog backupd_top_entry LIMIT_COUNT 1)
if(NOT backupd_top_entry MATCHES "^backupd \\(([0-9]+\\.[0-9]+\\.[0-9]+)\\)")
  message(FATAL_ERROR "systemd/deb/changelog: the first line must be \"backupd (X.Y.Z) ...\"")
endif()
set(BACKUPD_RELEASE_VERSION ${CMAKE_MATCH_1})
set(BACKUPD_FULL_VERSION ${BACKUPD_RELEASE_VERSION})
set(BACKUPD_GIT_DATE "")
# The package's Maintainer, also in the changelog and the copyright file. A placeholder until
# the project has a public address (docs/packaging.md, "Packaging notes").
set(BACKUPD_MAINTAINER "backupd developers <backupd-maintainers@example.org>")

find_program(BACKUPD_GIT git)
if(BACKUPD_GIT AND EXISTS ${CMAKE_CURRENT_LIST_DIR}/../.git)
  execute_process(COMMAND ${BACKUPD_GIT} rev-list --count HEAD
                  WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR}/..
                  OUTPUT_VARIABLE backupd_commits OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE backupd_git_rc ERROR_QUIET)
  execute_process(COMMAND ${BACKUPD_GIT} log -1 --format=%h%x20%ct
                  WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR}/..
                  OUTPUT_VARIABLE backupd_head OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(backupd_git_rc EQUAL 0 AND backupd_head MATCHES "^([0-9a-f]+) ([0-9]+)$")
    set(BACKUPD_FULL_VERSION "${BACKUPD_RELEASE_VERSION}+git${backupd_commits}.g${CMAKE_MATCH_1}")
    set(BACKUPD_GIT_DATE ${CMAKE_MATCH_2})
  endif()
  # A new commit changes the version: configure again when HEAD's reflog grows.
  execute_process(COMMAND ${BACKUPD_GIT} rev-parse --path-format=absolute --git-path logs/HEAD
                  WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR}/..
                  OUTPUT_VARIABLE backupd_reflog OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(EXISTS "${backupd_reflog}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${backupd_reflog})
  endif()
endif()
# Tests only: the system test's upgrade check builds an older-versioned package from this tree
# when the clone has no previous commit (a shallow clone), e.g. "0.1.0+git1.gabc~previous".
if(BACKUPD_VERSION_OVERRIDE)
  set(BACKUPD_FULL_VERSION ${BACKUPD_VERSION_OVERRIDE})
endif()
