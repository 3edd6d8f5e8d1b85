/* bpf(): maps and programs are kernel attack surface. */
#include <linux/bpf.h>
#include "hostile.h"

int main(void) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.map_type = BPF_MAP_TYPE_ARRAY;
  a.key_size = 4;
  a.value_size = 4;
  a.max_entries = 1;
  must_fail(syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof a), "BPF_MAP_CREATE");
  struct bpf_insn prog[] = {{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0}, {.code = BPF_JMP | BPF_EXIT}};
  memset(&a, 0, sizeof a);
  a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
  a.insn_cnt = 2;
  a.insns = (unsigned long)prog;
  a.license = (unsigned long)"GPL";
  must_fail(syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a), "BPF_PROG_LOAD");
  return refused();
}
