// The "tmpcopyup" mount option (as runc/crun): a tmpfs mounted over a directory of the image
// starts with a copy of what the image had there. Directories, regular files, symlinks and FIFOs
// are copied with their mode and owner; device nodes and sockets are left out (a user namespace
// cannot make them, and the tmpfs is nodev). Nothing is followed: every name is opened with
// O_NOFOLLOW relative to its parent's descriptor.
#pragma once

namespace edgeward::sandbox {

constexpr int kMaxCopyUpDepth = 64;

// Copies the contents of directory `from` into directory `to` (descriptors, O_PATH is enough).
// Returns false with errno set.
bool copy_tree(int from, int to, int depth = 0);

}  // namespace edgeward::sandbox
