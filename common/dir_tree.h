// Creating and removing directory trees (mkdir -p, rm -rf) with POSIX calls: std::filesystem's
// path and codecvt code links libstdc++'s locale machinery into the static binary.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward {

// Creates `path` and any missing parents (mode 0777 & ~umask); an existing directory is fine.
// The error reads "creating PATH: <reason>".
Status make_dirs(const std::string& path);

// The names of the entries of directory `dir` ("." and ".." left out), in readdir order. The
// error reads "listing DIR: <reason>".
Result<std::vector<std::string>> list_names(const std::string& dir);

// Removes `path` and everything below it, best effort; never follows symbolic links (a link is
// removed, not what it points to) and never descends into another mount (a file system mounted
// below `path` keeps its contents). A missing path is not an error.
void remove_tree(const std::string& path);

}  // namespace edgeward
