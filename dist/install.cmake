# Run by `cmake --install`: writes the sample config, the systemd unit and the
# sysusers.d/tmpfiles.d entries with the paths of the prefix being installed
# to. Under the prefix /usr the config goes to /etc/bizsos, else to
# <prefix>/etc/bizsos. BIZSOS_STATE_DIR (environment) overrides /var/lib/bizsos.
set(P "${CMAKE_INSTALL_PREFIX}")
set(BIZSOS_BIN_DIR "${P}/bin")
set(BIZSOS_SHARE_DIR "${P}/share/bizsos")
set(BIZSOS_DOC_DIR "${P}/share/doc/bizsos")
if(P STREQUAL "/usr")
  set(BIZSOS_CONF_DIR "/etc/bizsos")
else()
  set(BIZSOS_CONF_DIR "${P}/etc/bizsos")
endif()
if(DEFINED ENV{BIZSOS_STATE_DIR})
  set(BIZSOS_STATE_DIR "$ENV{BIZSOS_STATE_DIR}")
else()
  set(BIZSOS_STATE_DIR "/var/lib/bizsos")
endif()
foreach(pair
    "bizsos.conf.in;${BIZSOS_CONF_DIR}/bizsos.conf.sample"
    "bizsos.service.in;${P}/lib/systemd/system/bizsos.service"
    "bizsos.sysusers.in;${P}/lib/sysusers.d/bizsos.conf"
    "bizsos.tmpfiles.in;${P}/lib/tmpfiles.d/bizsos.conf")
  list(GET pair 0 in)
  list(GET pair 1 out)
  message(STATUS "Installing: $ENV{DESTDIR}${out}")
  configure_file(${BIZSOS_DIST}/${in} "$ENV{DESTDIR}${out}" @ONLY)
endforeach()
