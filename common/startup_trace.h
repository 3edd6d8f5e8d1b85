// Where a process's start-up time goes: named steps stamped with CLOCK_MONOTONIC, printed to
// stderr when asked (`edgeward vm run --trace-startup`). Off by default, when a mark is one
// relaxed atomic load. Marks come from any thread (the VMM's main thread and its boot vCPU); up
// to kMaxMarks are kept, later ones are dropped. Printing is one write(2) per flush, so it is
// allowed inside the VMM's seccomp jail and does not perturb the steps it measures.
//
// Each line gives the step's offset from process start (the fork that created the process), from
// main(), and its absolute CLOCK_MONOTONIC time, so a parent that noted its own fork time (the
// benchmark, bench/vm_boot/local_start.cpp) can check the offsets. Process start is read from
// /proc/self/schedstat (time on a CPU + time waiting for one, since the fork: exact while the
// process has not slept, as during exec and start-up) and, where that is missing, from
// /proc/self/stat's start time (10 ms ticks); the first line says which.
#pragma once

#include <cstdint>

namespace edgeward::startup_trace {

constexpr int kMaxMarks = 64;

// Stamps main()'s entry. Called first thing in main, always (one vDSO clock read).
void note_main();

// Turns tracing on (the process start is computed here, off the measured steps' path).
void enable();
bool enabled();

// Records step `what` (a string literal: only the pointer is kept) with an optional index
// (`index` >= 0 is printed after the name, e.g. the vCPU number).
void mark(const char* what, int index = -1);

// Writes the marks not yet written to stderr (one write). Safe to call more than once and from
// any thread; does nothing when tracing is off.
void flush();

}  // namespace edgeward::startup_trace
