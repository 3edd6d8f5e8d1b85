/* utimes(2), the older call busybox's touch makes (x86_64; the sandbox answers it as utimensat):
 * times set on a writable file are what the file then shows; a read-only path is refused and
 * keeps its times. Exit 0 when all hold, 1 with a message otherwise. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

int main(void) {
#ifdef SYS_utimes
  int fd = open("/tmp/utimes", O_WRONLY | O_CREAT, 0644);
  if (fd < 0) return perror("create /tmp/utimes"), 1;
  close(fd);
  struct timeval tv[2] = {{1000000000, 250000}, {1200000000, 500000}};
  if (syscall(SYS_utimes, "/tmp/utimes", tv) != 0) return perror("utimes /tmp/utimes"), 1;
  struct stat st;
  if (stat("/tmp/utimes", &st) != 0) return perror("stat"), 1;
  if (st.st_mtim.tv_sec != 1200000000 || st.st_mtim.tv_nsec != 500000000 || st.st_atim.tv_sec != 1000000000) {
    fprintf(stderr, "utimes: the times set are not the file's (mtime %ld.%09ld)\n", (long)st.st_mtim.tv_sec,
            st.st_mtim.tv_nsec);
    return 1;
  }
  if (syscall(SYS_utimes, "/tmp/utimes", NULL) != 0) return perror("utimes /tmp/utimes NULL (now)"), 1;
  struct stat before, after;
  stat("/data/hello.txt", &before);
  if (syscall(SYS_utimes, "/data/hello.txt", tv) == 0) return fprintf(stderr, "utimes: a read-only path was changed\n"), 1;
  stat("/data/hello.txt", &after);
  if (before.st_mtim.tv_sec != after.st_mtim.tv_sec) return fprintf(stderr, "utimes: read-only file's times changed\n"), 1;
#endif
  return 0;
}
