# The product binary's budget, as a test: its stripped size stays within the 4096 KiB goal, and
# libstdc++'s iostream / std::locale machinery (~350 KiB of facets) is not linked back in by a
# stray <iostream>, <sstream>, <fstream>, <regex> or <filesystem> in product code
# (common/text and common/dir_tree are the replacements).
# Run as: cmake -DNM=... -DSTRIP=... -DBINARY=... -P binary_budget.cmake
execute_process(COMMAND ${STRIP} --strip-all -o ${BINARY}.budget ${BINARY} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "strip failed for ${BINARY}")
endif()
file(SIZE ${BINARY}.budget bytes)
file(REMOVE ${BINARY}.budget)
math(EXPR kib "${bytes} / 1024")
if(bytes GREATER 4194304)
  message(FATAL_ERROR "edgeward is ${kib} KiB stripped: over the 4096 KiB goal (docs/benchmarks.md, binary size)")
endif()
execute_process(COMMAND ${NM} -C ${BINARY} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed for ${BINARY}")
endif()
string(REGEX MATCHALL "[^\n]*(money_get|time_get|basic_istream<char|basic_ostream<char)[^\n]*" linked "${symbols}")
list(LENGTH linked n)
if(n GREATER 0)
  list(SUBLIST linked 0 5 first)
  string(REPLACE ";" "\n  " first "${first}")
  message(FATAL_ERROR "iostreams / std::locale are linked into edgeward again (${n} symbols, e.g.\n  ${first}\n"
                      "); find the product file that uses <iostream>, <sstream>, <fstream>, <regex> or <filesystem> "
                      "(link with -Wl,--trace-symbol=...) and use common/text or common/dir_tree instead")
endif()
message(STATUS "edgeward: ${kib} KiB stripped, no iostreams or std::locale linked")
