# Copies the KRDS resources we use from node_modules/krds-uiux into static/vendor/krds.
# Run by the `vendor` target; a missing node_modules is a clear error.
set(krds ${SRC}/node_modules/krds-uiux/resources)
if(NOT EXISTS ${krds}/css/component/output.css)
  message(FATAL_ERROR "node_modules/krds-uiux is missing: run `npm ci` first (scripts/setup.sh does).")
endif()
file(MAKE_DIRECTORY ${SRC}/static/vendor/krds)
file(COPY ${krds}/css/component/output.css DESTINATION ${SRC}/static/vendor/krds/css/component)
# output.css imports ../../css/token/krds_tokens.css: every KRDS variable lives there.
file(COPY ${krds}/css/token/krds_tokens.css DESTINATION ${SRC}/static/vendor/krds/css/token)
if(EXISTS ${krds}/fonts)
  file(COPY ${krds}/fonts DESTINATION ${SRC}/static/vendor/krds)
endif()
if(EXISTS ${krds}/img)
  file(COPY ${krds}/img DESTINATION ${SRC}/static/vendor/krds)
endif()
