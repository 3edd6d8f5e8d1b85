/* The floor of "process start -> main" on a machine: a minimal static C program whose main writes
 * one byte to stdout at once (bench/vm_boot/exec_floor.cpp times fork -> that byte). */
#include <unistd.h>

int main(void) { return write(STDOUT_FILENO, "m", 1) == 1 ? 0 : 1; }
