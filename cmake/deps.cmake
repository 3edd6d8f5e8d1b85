# Third-party libraries, all from Debian packages (installed by scripts/setup), linked statically.
# Each becomes an imported target; a missing one is a configure error that says how to fix it.
find_package(Threads REQUIRED)

function(edgeward_static_lib target header lib package)
  find_path(${target}_INCLUDE ${header})
  find_library(${target}_LIB NAMES lib${lib}.a)
  if(NOT ${target}_INCLUDE OR NOT ${target}_LIB)
    message(FATAL_ERROR "Missing ${header} / lib${lib}.a for ${EDGEWARD_ARCH}.\n"
                        "Fix: run scripts/setup as root (or: apt-get install ${package}).")
  endif()
  add_library(${target} STATIC IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION ${${target}_LIB}
                                             INTERFACE_INCLUDE_DIRECTORIES ${${target}_INCLUDE})
endfunction()

if(CMAKE_CROSSCOMPILING)
  set(_pkg_suffix ":arm64")
endif()

# edgeward_source_lib(VAR package inputs... script): a library compiled from its Debian source in
# the cache (scripts/fetch-debian-source, run by scripts/setup) by `script PREFIX CC AR`, built
# once into ${EDGEWARD_CACHE}/build/<package>-<Debian version>-<arch>-<hash of the compiler and
# the inputs> and reused by every build tree; VAR is set to that prefix.
function(edgeward_source_lib var package)
  set(_src ${EDGEWARD_CACHE}/src/${package})
  if(NOT EXISTS ${_src}/debian/changelog)
    message(FATAL_ERROR "${package} source not found in ${_src}.\n"
                        "Fix: run scripts/setup as root (it runs scripts/fetch-debian-source ${package}).")
  endif()
  file(REAL_PATH ${_src} _real)
  get_filename_component(_version ${_real} NAME)
  set(_key "${CMAKE_C_COMPILER} ${CMAKE_C_COMPILER_VERSION}")
  foreach(f IN LISTS ARGN)
    file(SHA256 ${CMAKE_SOURCE_DIR}/${f} _h)
    string(APPEND _key " ${_h}")
    set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${f})
  endforeach()
  string(SHA256 _key "${_key}")
  string(SUBSTRING ${_key} 0 12 _key)
  set(_prefix ${EDGEWARD_CACHE}/build/${_version}-${EDGEWARD_ARCH}-${_key})
  list(GET ARGN -1 _script)
  if(NOT EXISTS ${_prefix}/.built)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env EDGEWARD_CACHE=${EDGEWARD_CACHE}
                            ${CMAKE_SOURCE_DIR}/${_script} ${_prefix} ${CMAKE_C_COMPILER} ${CMAKE_C_COMPILER_AR}
                    RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "${_script} failed for ${EDGEWARD_ARCH} (see above); its inputs: ${_real}, ${ARGN}")
    endif()
  endif()
  set(${var} ${_prefix} PARENT_SCOPE)
endfunction()
# mbedTLS: the binary links its Debian source built with edgeward's trimmed configuration
# (cmake/mbedtls_config.h) by scripts/build-mbedtls, once per version, target and configuration,
# into the cache; the fuzzers (clang) link Debian's full libmbedtls-dev.
if(EDGEWARD_FUZZ)
  edgeward_static_lib(ew::mbedcrypto mbedtls/sha256.h mbedcrypto libmbedtls-dev${_pkg_suffix})
  edgeward_static_lib(ew::mbedx509 mbedtls/x509_crt.h mbedx509 libmbedtls-dev${_pkg_suffix})
  edgeward_static_lib(ew::mbedtls mbedtls/ssl.h mbedtls libmbedtls-dev${_pkg_suffix})
else()
  edgeward_source_lib(_mb mbedtls cmake/mbedtls_config.h scripts/build-mbedtls)
  foreach(lib mbedcrypto mbedx509 mbedtls)
    add_library(ew::${lib} STATIC IMPORTED GLOBAL)
    set_target_properties(ew::${lib} PROPERTIES IMPORTED_LOCATION ${_mb}/lib/lib${lib}.a
                                                INTERFACE_INCLUDE_DIRECTORIES ${_mb}/include)
  endforeach()
endif()
set_property(TARGET ew::mbedx509 PROPERTY INTERFACE_LINK_LIBRARIES ew::mbedcrypto)
set_property(TARGET ew::mbedtls PROPERTY INTERFACE_LINK_LIBRARIES ew::mbedx509)
edgeward_static_lib(ew::seccomp seccomp.h seccomp libseccomp-dev${_pkg_suffix})
edgeward_static_lib(ew::nanopb pb.h protobuf-nanopb libnanopb-dev${_pkg_suffix})
edgeward_static_lib(ew::yaml yaml.h yaml libyaml-dev${_pkg_suffix})
# libarchive: tar only (rootfs archives of images, offline OTA bundles); its other formats and
# filters stay out of the link because nothing registers them.
edgeward_static_lib(ew::archive archive.h archive libarchive-dev${_pkg_suffix})
# libzstd: OTA chunked deltas (zstd frames per chunk; devices use the decompressor only, the
# publisher's `ota repo add` the compressor). The binary links its Debian source trimmed for size
# by scripts/build-zstd (no legacy formats, one Huffman and one sequence decoder, -Os); the
# fuzzers (clang) link Debian's libzstd-dev.
if(EDGEWARD_FUZZ)
  edgeward_static_lib(ew::zstd zstd.h zstd libzstd-dev${_pkg_suffix})
else()
  edgeward_source_lib(_zstd libzstd scripts/build-zstd)
  add_library(ew::zstd STATIC IMPORTED GLOBAL)
  set_target_properties(ew::zstd PROPERTIES IMPORTED_LOCATION ${_zstd}/lib/libzstd.a
                                            INTERFACE_INCLUDE_DIRECTORIES ${_zstd}/include)
endif()
# libhttp-parser-dev and its :arm64 twin conflict, so the cross build finds Debian's arm64 .deb
# unpacked in the cache by scripts/fetch-http-parser-arm64 (run by scripts/setup).
if(CMAKE_CROSSCOMPILING)
  list(PREPEND CMAKE_FIND_ROOT_PATH ${EDGEWARD_CACHE}/arm64/http-parser)
  edgeward_static_lib(ew::http_parser http_parser.h http_parser "scripts/fetch-http-parser-arm64")
  list(POP_FRONT CMAKE_FIND_ROOT_PATH)
else()
  edgeward_static_lib(ew::http_parser http_parser.h http_parser libhttp-parser-dev)
endif()

# libfdt (the arm64 microVM's device tree). Only the aarch64 binary links it; the arm64 device-tree
# code is also built on x86_64 so its tests run on any host. libfdt-dev is not Multi-Arch: same
# either, so the cross build finds Debian's arm64 .deb unpacked in the cache by
# scripts/fetch-arm64-debs (run by scripts/setup); a native build uses the installed one.
if(CMAKE_CROSSCOMPILING AND EDGEWARD_ARCH STREQUAL aarch64)
  list(PREPEND CMAKE_FIND_ROOT_PATH ${EDGEWARD_CACHE}/arm64/libfdt)
  edgeward_static_lib(ew::fdt libfdt.h fdt "scripts/fetch-arm64-debs libfdt-dev")
  list(POP_FRONT CMAKE_FIND_ROOT_PATH)
else()
  edgeward_static_lib(ew::fdt libfdt.h fdt libfdt-dev)
endif()

find_path(NLOHMANN_JSON_INCLUDE nlohmann/json.hpp)
if(NOT NLOHMANN_JSON_INCLUDE)
  message(FATAL_ERROR "Missing nlohmann/json.hpp. Fix: run scripts/setup (or: apt-get install nlohmann-json3-dev).")
endif()
add_library(ew::json INTERFACE IMPORTED GLOBAL)
set_target_properties(ew::json PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${NLOHMANN_JSON_INCLUDE})

# tinyxml2: Debian ships only a shared library, so scripts/fetch-tinyxml2 puts its Debian source
# in the cache and it is compiled here for the target arch.
set(_tx ${EDGEWARD_CACHE}/src/tinyxml2)
if(NOT EXISTS ${_tx}/tinyxml2.cpp)
  message(FATAL_ERROR "tinyxml2 source not found in ${_tx}.\n"
                      "Fix: run scripts/setup as root (it runs scripts/fetch-tinyxml2: apt-get source tinyxml2).")
endif()
add_library(tinyxml2_static STATIC ${_tx}/tinyxml2.cpp)
target_include_directories(tinyxml2_static SYSTEM PUBLIC ${_tx})
target_compile_options(tinyxml2_static PRIVATE -w)
add_library(ew::tinyxml2 ALIAS tinyxml2_static)
