# edgeward_nanopb(TARGET proto_file): runs Debian's nanopb generator on a .proto next to its
# component (with the .options file beside it, if any) and builds the generated C as a static
# library linked to the nanopb runtime. Generated files land in the build tree, mirroring the
# source tree, so "#include "common/version.pb.h"" works.
find_program(NANOPB_GENERATOR nanopb_generator.py PATHS /usr/bin)
find_program(EW_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT NANOPB_GENERATOR OR NOT EW_PYTHON3)
  message(FATAL_ERROR "nanopb_generator.py or /usr/bin/python3 not found. Fix: run scripts/setup (apt-get install nanopb).")
endif()

function(edgeward_nanopb target proto)
  get_filename_component(abs ${proto} ABSOLUTE)
  get_filename_component(dir ${abs} DIRECTORY)
  get_filename_component(name ${abs} NAME_WE)
  file(RELATIVE_PATH rel_dir ${CMAKE_SOURCE_DIR} ${dir})
  set(out_dir ${CMAKE_BINARY_DIR}/generated/${rel_dir})
  set(deps ${abs})
  if(EXISTS ${dir}/${name}.options)
    list(APPEND deps ${dir}/${name}.options)
  endif()
  add_custom_command(
    OUTPUT ${out_dir}/${name}.pb.c ${out_dir}/${name}.pb.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND ${EW_PYTHON3} ${NANOPB_GENERATOR} -q -I ${dir} -D ${out_dir} ${abs}
    DEPENDS ${deps}
    COMMENT "nanopb: ${rel_dir}/${name}.proto"
    VERBATIM)
  add_library(${target} STATIC ${out_dir}/${name}.pb.c)
  target_link_libraries(${target} PUBLIC ew::nanopb)
endfunction()
