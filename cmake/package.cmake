# "cpack -G DEB" builds backupd_<version>_<arch>.deb. Configure with
# -DCMAKE_INSTALL_PREFIX=/usr so that the unit's ExecStart and the daemon's default
# /etc/backupd.conf match the packaged paths.
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "backupd: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; a .deb wants /usr")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME backupd)
set(CPACK_PACKAGE_VENDOR "backupd developers")
set(CPACK_PACKAGE_CONTACT "backupd developers <backupd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "tells admins which iPhones will not back up to iCloud, and why")
set(CPACK_PACKAGE_DESCRIPTION
    "backupd watches the iPhones attached through usbmuxd and reports, in the journal and\n\
through backupctl status, every precondition of an automatic iCloud backup that fails.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)

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
