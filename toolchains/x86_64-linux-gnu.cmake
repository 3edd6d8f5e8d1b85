# x86_64 Linux (glibc, static). Native on an x86_64 host, a cross build elsewhere.
set(EW_TRIPLET x86_64-linux-gnu)
set(EW_PROCESSOR x86_64)
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
