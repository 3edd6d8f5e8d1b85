// Handlers of the CLI's commands, one declaration per command (see command_table.cpp).
#pragma once

#include "runtime/cli/command.h"

namespace edgeward::cli {

int attest_boot(Args args);
int attest_enroll(Args args);
int attest_evidence(Args args);
int attest_identity(Args args);
int attest_log(Args args);
int attest_measure(Args args);
int attest_query(Args args);
int attest_serve(Args args);
int attest_verify(Args args);
int board_show(Args args);
int board_list(Args args);
int ota_provision(Args args);
int ota_status(Args args);
int ota_boot(Args args);
int ota_mark_good(Args args);
int ota_rollback(Args args);
int ota_trust(Args args);
int ota_check(Args args);
int ota_download(Args args);
int ota_install(Args args);
int ota_export(Args args);
int pod_run(Args args);
int sandbox_run(Args args);
int sandbox_policy(Args args);
int version(Args args);
int vm_run(Args args);
int image_build(Args args);
int image_inspect(Args args);
int image_sign(Args args);
int image_verify(Args args);
int keys_gen(Args args);
int ota_repo_init(Args args);
int ota_repo_add(Args args);
int ota_repo_publish(Args args);
int ota_repo_refresh(Args args);
int ota_repo_rotate(Args args);
int ota_repo_show(Args args);
int oci_create(Args args);
int oci_start(Args args);
int oci_state(Args args);
int oci_kill(Args args);
int oci_delete(Args args);
int oci_exec(Args args);
int oci_features(Args args);
int oci_ps(Args args);
// `ps`: the daemon's workloads (workload_ps), or with a container ID or --format, oci_ps.
int ps_command(Args args);
int oci_pause(Args args);
int oci_resume(Args args);
int oci_update(Args args);
int oci_events(Args args);
int container_monitor(Args args);
int daemon_main(Args args);
int daemon_metrics(Args args);
int workload_run(Args args);
int workload_ps(Args args);
int workload_stop(Args args);
int workload_logs(Args args);
int workload_inspect(Args args);
int workload_rm(Args args);

}  // namespace edgeward::cli
