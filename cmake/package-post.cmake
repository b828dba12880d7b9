# SPDX-License-Identifier: ISC
# Run by CPack after it has written the packages (CPACK_POST_BUILD_SCRIPTS): repairs the
# -dbgsym package (systemd/deb/fix-dbgsym.sh says what and why).
foreach(file ${CPACK_PACKAGE_FILES})
  if(file MATCHES "-dbgsym_.*\\.ddeb$")
    execute_process(COMMAND sh ${CPACK_BACKUPD_SOURCE_DIR}/systemd/deb/fix-dbgsym.sh ${file}
                    COMMAND_ERROR_IS_FATAL ANY)
  endif()
endforeach()
