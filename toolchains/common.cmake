# Shared body of the toolchain files: EW_TRIPLET and EW_PROCESSOR are set by the caller.
# Uses Debian's multiarch layout: target libraries in /usr/lib/<triplet>, compilers named
# <triplet>-gcc. Fails at configure time with a fix-it message when something is missing.
cmake_host_system_information(RESULT _ew_host QUERY OS_PLATFORM)
if(NOT _ew_host STREQUAL EW_PROCESSOR)
  set(CMAKE_SYSTEM_NAME Linux)
  set(CMAKE_SYSTEM_PROCESSOR ${EW_PROCESSOR})
endif()

find_program(_ew_cc ${EW_TRIPLET}-gcc)
find_program(_ew_cxx ${EW_TRIPLET}-g++)
string(REPLACE "_" "-" _ew_pkg_triplet "${EW_TRIPLET}")
if(NOT _ew_cc OR NOT _ew_cxx)
  message(FATAL_ERROR
    "toolchains/${EW_TRIPLET}.cmake: the compiler ${EW_TRIPLET}-g++ is not installed.\n"
    "Fix: run scripts/setup as root (it installs the compilers and the target libraries),\n"
    "or: apt-get install g++-${_ew_pkg_triplet}")
endif()
set(CMAKE_C_COMPILER ${_ew_cc})
set(CMAKE_CXX_COMPILER ${_ew_cxx})
set(CMAKE_LIBRARY_ARCHITECTURE ${EW_TRIPLET})

if(NOT EXISTS /usr/lib/${EW_TRIPLET}/libc.a AND NOT EXISTS /usr/${EW_TRIPLET}/lib/libc.a)
  message(FATAL_ERROR
    "toolchains/${EW_TRIPLET}.cmake: no static C library for ${EW_TRIPLET} (libc.a).\n"
    "Fix: run scripts/setup as root, or: apt-get install libc6-dev-${EW_PROCESSOR}-cross")
endif()

if(CMAKE_SYSTEM_NAME STREQUAL Linux AND NOT _ew_host STREQUAL EW_PROCESSOR)
  # Cross build: run target programs (tests, generators) under qemu-user.
  find_program(_ew_qemu qemu-${EW_PROCESSOR}-static)
  if(NOT _ew_qemu)
    message(FATAL_ERROR
      "toolchains/${EW_TRIPLET}.cmake: qemu-${EW_PROCESSOR}-static is needed to run the tests.\n"
      "Fix: run scripts/setup as root, or: apt-get install qemu-user-static")
  endif()
  set(CMAKE_CROSSCOMPILING_EMULATOR ${_ew_qemu})
  set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
endif()
