# SPDX-License-Identifier: ISC
# "cpack -G DEB" builds backupd_<version>_<arch>.deb and backupd-dbgsym_<version>_<arch>.ddeb
# (the debug info, split out by build-id as dh_strip does). Configure with
# -DCMAKE_INSTALL_PREFIX=/usr so that the unit's ExecStart and the daemon's default
# /etc/backupd.conf match the packaged paths. `lintian -I --pedantic` on both is a test
# (package.lintian); the info tags it still gives are explained in docs/packaging.md,
# "Packaging notes".
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "backupd: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; a .deb wants /usr")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME backupd)
set(CPACK_PACKAGE_VERSION ${BACKUPD_FULL_VERSION})
set(CPACK_PACKAGE_VENDOR "backupd developers")
set(CPACK_PACKAGE_CONTACT ${BACKUPD_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "tells admins which iPhones will not back up to iCloud, and why")
# CPack puts the summary first; lines of at most 79 columns: dpkg shows them as they are.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "backupd watches the iPhones attached through usbmuxd (charging carts, USB\n\
hubs, device labs) and reports, in the journal and through backupctl status,\n\
every precondition of an automatic iCloud backup that fails: backup switched\n\
off, not locked, not charging, no Wi-Fi, an old iOS, a stale backup, or an\n\
outage of Apple's iCloud Backup service.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
# CPack strips the binaries itself, keeping their debug info in the -dbgsym package (found
# through the build-id, as debuginfod and gdb look for it); stripping first would leave
# nothing to keep.
set(CPACK_STRIP_FILES OFF)
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_BACKUPD_SOURCE_DIR ${PROJECT_SOURCE_DIR})
set(CPACK_POST_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/package-post.cmake)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends comes from the binaries' shared libraries (dpkg-shlibdeps, in dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "usbmuxd")

set(deb_control ${PROJECT_SOURCE_DIR}/systemd/deb)
set(deb_extra ${deb_control}/postinst ${deb_control}/prerm ${deb_control}/postrm)
if(EXISTS ${PROJECT_SOURCE_DIR}/conf/backupd.conf)
  file(WRITE ${PROJECT_BINARY_DIR}/deb/conffiles "${CMAKE_INSTALL_FULL_SYSCONFDIR}/backupd.conf\n")
  list(APPEND deb_extra ${PROJECT_BINARY_DIR}/deb/conffiles)
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${deb_extra})
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
