# Writes the Qt Test that `chronoscope-cli spec export --format qtest` makes of one stream of a
# store, so the build compiles and CTest runs what a person would save from the window.
# cmake -DCLI=... -DSTORE=... -DSTREAM=... -DOUT=... -P exportspec.cmake
execute_process(
  COMMAND ${CLI} spec export ${STORE} --stream ${STREAM} --format qtest
  OUTPUT_FILE ${OUT}.part
  RESULT_VARIABLE rc
  ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.part)
  message(FATAL_ERROR "spec export of ${STREAM} failed (${rc}): ${err}")
endif()
file(RENAME ${OUT}.part ${OUT})
