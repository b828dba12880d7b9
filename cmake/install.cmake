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
# Example alert commands (AlertCommand=): the admin copies one and sets its recipient.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/conf/alert-commands/mail-sendmail
                 ${PROJECT_SOURCE_DIR}/conf/alert-commands/chat-webhook
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/alert-commands)
