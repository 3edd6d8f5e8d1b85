/* An openat/stat-heavy tree walk (calls the supervisor inspects): every entry is stat'ed by
 * path, every file opened by path and read, `rounds` times over. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long files, bytes;

static void walk(const char* dir) {
  DIR* d = opendir(dir);
  if (!d) return;
  struct dirent* e;
  char path[4096];
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      walk(path);
    } else if (S_ISREG(st.st_mode)) {
      int fd = open(path, O_RDONLY);
      if (fd < 0) continue;
      char buf[4096];
      ssize_t n = read(fd, buf, sizeof buf);
      if (n > 0) bytes += n;
      close(fd);
      ++files;
    }
  }
  closedir(d);
}

int main(int argc, char** argv) {
  int rounds = argc > 2 ? atoi(argv[2]) : 3;
  for (int i = 0; i < rounds; ++i) walk(argc > 1 ? argv[1] : "/src");
  fprintf(stderr, "treewalk: %ld files, %ld bytes\n", files, bytes);
  return files ? 0 : 1;
}
