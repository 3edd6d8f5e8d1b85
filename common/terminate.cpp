// The handler std::terminate calls in the edgeward binary: libstdc++'s verbose handler, same text
// and exit (abort), without demangling the exception's type name. Defining it here keeps the
// link from pulling libstdc++'s vterminate.o and with it the C++ demangler (__cxa_demangle,
// d_print_comp, ...: ~32 KiB of code, more with its unwind tables and strings) into a binary with a
// 4 MiB goal. The type is printed as the compiler names it (St13runtime_error where libstdc++
// printed std::runtime_error); c++filt reads it back. Linked as an object of the edgeward
// executable (top CMakeLists.txt), not from an archive: libstdc++ asks for this symbol only after
// edgeward's archives were scanned.
#include <cstdio>
#include <cstdlib>
#include <cxxabi.h>
#include <exception>
#include <typeinfo>

namespace __gnu_cxx {

void __verbose_terminate_handler() {
  static bool terminating = false;
  if (terminating) {
    std::fputs("terminate called recursively\n", stderr);
    std::abort();
  }
  terminating = true;
  if (const std::type_info* t = abi::__cxa_current_exception_type()) {
    const char* name = t->name();
    if (*name == '*') ++name;
    std::fputs("terminate called after throwing an instance of '", stderr);
    std::fputs(name, stderr);
    std::fputs("'\n", stderr);
    try {
      throw;
    } catch (const std::exception& e) {
      std::fputs("  what():  ", stderr);
      std::fputs(e.what(), stderr);
      std::fputs("\n", stderr);
    } catch (...) {
    }
  } else {
    std::fputs("terminate called without an active exception\n", stderr);
  }
  std::abort();
}

}  // namespace __gnu_cxx
