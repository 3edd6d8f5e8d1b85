/* Calls the supervisor performs itself must happen exactly once even when signals keep
 * arriving: a second thread floods the main thread with a handled signal (SA_RESTART) while it
 * makes and removes a directory 2,000 times (stress.h may scale that down). A call interrupted
 * after the supervisor did it and then restarted would fail (mkdir: EEXIST, rmdir: ENOENT).
 * Exit 0 when every call succeeded. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "stress.h"

static volatile int stop;
static pid_t main_tid;
static volatile long handled;

static void on_signal(int sig) {
  (void)sig;
  ++handled;
}

static void* sender(void* arg) {
  (void)arg;
  while (!stop) syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
  return NULL;
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  main_tid = (pid_t)syscall(SYS_gettid);
  pthread_t t;
  pthread_create(&t, NULL, sender, NULL);
  int failures = 0;
  for (int i = 0, n = stress_iterations(2000); i < n; ++i) {
    if (mkdir("/tmp/sig", 0755) != 0) ++failures;
    if (rmdir("/tmp/sig") != 0) ++failures;
  }
  stop = 1;
  pthread_join(t, NULL);
  fprintf(stderr, "signals: %d failed calls, %ld signals handled\n", failures, handled);
  return failures != 0;
}
