# aarch64 Linux (glibc, static). Cross build from x86_64 with Debian's g++-aarch64-linux-gnu;
# tests run under qemu-aarch64-static.
set(EW_TRIPLET aarch64-linux-gnu)
set(EW_PROCESSOR aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
