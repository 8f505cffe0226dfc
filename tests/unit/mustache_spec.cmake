# The Mustache spec as ctests: one test per case of every *.json file, named
# mustache/<file>/<test name>, e.g. "mustache/interpolation/Basic Interpolation".
# A name a file repeats gets " (2)", " (3)"... and the runner picks that occurrence.
# No case is skipped while the spec is present; mustache_spec_cases.txt lists
# every case's test name, so that without the spec each one shows as skipped.
set(BIZSOS_MUSTACHE_SPEC_DIR "${CMAKE_SOURCE_DIR}/../shared/mustache-spec"
    CACHE PATH "Directory of the Mustache spec JSON files (spec v1.4.2 + ~inheritance)")

add_executable(mustache_spec ${CMAKE_CURRENT_LIST_DIR}/mustache_spec.c)
target_link_libraries(mustache_spec PRIVATE bizsos_testlib)

file(GLOB mustache_spec_files "${BIZSOS_MUSTACHE_SPEC_DIR}/*.json")
list(SORT mustache_spec_files)
if(NOT mustache_spec_files)
  # The spec is third-party data outside the repository. Without it every case
  # listed in mustache_spec_cases.txt is still registered, and the runner exits
  # 77 (spec absent), which ctest reports as skipped: the cases never vanish.
  message(STATUS "No Mustache spec in ${BIZSOS_MUSTACHE_SPEC_DIR}: its cases are reported as "
                 "skipped; configure with -DBIZSOS_MUSTACHE_SPEC_DIR=/path/to/mustache-spec to run them")
  file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/mustache_spec_cases.txt spec_cases)
  foreach(spec_test IN LISTS spec_cases)
    add_test(NAME "${spec_test}"
             COMMAND mustache_spec "${BIZSOS_MUSTACHE_SPEC_DIR}/absent.json" "${spec_test}")
    set_tests_properties("${spec_test}" PROPERTIES LABELS mustache SKIP_RETURN_CODE 77)
  endforeach()
endif()
# Re-configure when a spec file changes, so the list of tests follows it.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${mustache_spec_files})

foreach(spec_file IN LISTS mustache_spec_files)
  get_filename_component(spec_base "${spec_file}" NAME_WE)
  file(READ "${spec_file}" spec_json)
  string(JSON spec_count LENGTH "${spec_json}" tests)
  if(spec_count EQUAL 0)
    continue()
  endif()
  set(spec_seen "")
  math(EXPR spec_last "${spec_count} - 1")
  foreach(i RANGE ${spec_last})
    string(JSON spec_name GET "${spec_json}" tests ${i} name)
    # No spec name holds a ";", which would split it into a CMake list.
    set(spec_label "${spec_name}")
    set(spec_n 1)
    foreach(seen IN LISTS spec_seen)
      if(seen STREQUAL spec_label)
        math(EXPR spec_n "${spec_n} + 1")
      endif()
    endforeach()
    list(APPEND spec_seen "${spec_label}")
    if(spec_n GREATER 1)
      set(spec_test "mustache/${spec_base}/${spec_label} (${spec_n})")
    else()
      set(spec_test "mustache/${spec_base}/${spec_label}")
    endif()
    add_test(NAME "${spec_test}" COMMAND mustache_spec "${spec_file}" "${spec_label}" ${spec_n})
    set_tests_properties("${spec_test}" PROPERTIES LABELS mustache)
  endforeach()
endforeach()
