#include "common/dir_tree.h"

#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace edgeward {

Status make_dirs(const std::string& path) {
  for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    const std::string prefix = path.substr(0, end);
    struct stat st{};
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0777) != 0 &&
        !(errno == EEXIST && ::stat(prefix.c_str(), &st) == 0 && S_ISDIR(st.st_mode))) {
      return Error::io("creating " + path + ": " + std::strerror(errno));
    }
    if (end == std::string::npos) return {};
  }
}

Result<std::vector<std::string>> list_names(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return Error::io("listing " + dir + ": " + std::strerror(errno));
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  return names;
}

void remove_tree(const std::string& path) {
  const auto remove_one = [](const char* p, const struct stat*, int, FTW*) {
    (void)std::remove(p);  // best effort: go on with the rest
    return 0;
  };
  (void)::nftw(path.c_str(), remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);  // never into another mount
}

}  // namespace edgeward
