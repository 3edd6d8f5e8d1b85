#include <array>

#include "runtime/cli/commands.h"

namespace edgeward::cli {
namespace {

constexpr std::array kCommands{
    Command{"attest boot", "start a measured boot: measure this binary and the active OTA slot", attest_boot},
    Command{"attest enroll", "fleet side: issue a device certificate for a device CSR", attest_enroll},
    Command{"attest evidence", "produce signed attestation evidence for a nonce", attest_evidence},
    Command{"attest identity", "create the device attestation key (first start) and its CSR", attest_identity},
    Command{"attest log", "show measurement registers and the event log [--json]", attest_log},
    Command{"attest measure", "verify an image and record its measured launch", attest_measure},
    Command{"attest query", "fleet side: query a device over mutual TLS and verify the answer", attest_query},
    Command{"attest serve", "answer attestation queries over mutual TLS", attest_serve},
    Command{"attest verify", "fleet side: verify and appraise evidence [--json]", attest_verify},
    Command{"board show", "show this node's board (or a board file) [--json]", board_show},
    Command{"board list", "list the boards built into this binary [--json]", board_list},
    Command{"ota provision", "give this device its first OTA state: this binary into runtime slot A", ota_provision},
    Command{"ota status", "show the runtime slots, workload images, floors and the last OTA event [--json]", ota_status},
    Command{"ota boot", "start the runtime from its slot: count a trial start, roll back a failed one, exec", ota_boot},
    Command{"ota mark-good", "declare the runtime on trial good (it becomes the active slot)", ota_mark_good},
    Command{"ota rollback", "abandon the runtime on trial: the active slot runs again", ota_rollback},
    Command{"ota trust", "install the device's initial trusted TUF root (ROOT.json)", ota_trust},
    Command{"ota check", "refresh the TUF metadata from a repository and list its targets [--json]", ota_check},
    Command{"ota download", "refresh, then download one verified target into <state>/downloads [--json]", ota_download},
    Command{"ota install", "refresh, download and install a target (runtime on trial, workload pending)", ota_install},
    Command{"ota export", "write a target and its verified metadata as an offline bundle (install --bundle)", ota_export},
    Command{"ota repo init", "publisher side: create a TUF repository (keys, root, empty metadata)", ota_repo_init},
    Command{"ota repo add", "publisher side: stage a target file (runtime, workload or release)", ota_repo_add},
    Command{"ota repo publish", "publisher side: sign the next targets, snapshot and timestamp [--json]", ota_repo_publish},
    Command{"ota repo refresh", "publisher side: re-sign the timestamp with a new expiry [--json]", ota_repo_refresh},
    Command{"ota repo rotate", "publisher side: new keys for a role, root N+1 signed by old and new [--json]", ota_repo_rotate},
    Command{"ota repo show", "publisher side: roles, versions, expiries, targets [--json]", ota_repo_show},
    Command{"pod run", "admit a Kubernetes Pod (YAML/JSON) against this node's labels and run it [--dry-run --json]", pod_run},
    Command{"vm run", "boot a Linux kernel in a KVM microVM [--kernel --initrd --mem --vcpus --disk]", vm_run},
    Command{"sandbox run", "run a program in the ptrace + seccomp sandbox [--json]", sandbox_run},
    Command{"sandbox policy", "print the built-in default sandbox policy", sandbox_policy},
    Command{"image build", "build an unsigned workload image (.ewi)", image_build},
    Command{"image inspect", "show an image's manifest (not verified) [--json]", image_inspect},
    Command{"image sign", "sign a workload image with the fleet signer key", image_sign},
    Command{"image verify", "verify an image's signature, certificate chain and digests [--json]", image_verify},
    Command{"keys gen", "generate a development fleet CA, image signer and client certificate", keys_gen},
    Command{"daemon", "the device daemon: supervise workloads, serve the local API socket", daemon_main},
    Command{"metrics", "print the daemon's metrics (Prometheus text format)", daemon_metrics},
    Command{"run", "run a signed image under the daemon [--backend auto|vm|sandbox --name --restart]", workload_run},
    Command{"ps", "list the daemon's workloads [--json]; OCI runtime: ps [--format table|json] ID", ps_command},
    Command{"stop", "stop a workload [--timeout S]", workload_stop},
    Command{"logs", "print a workload's output [-f]", workload_logs},
    Command{"inspect", "show a workload's details [--json]", workload_inspect},
    Command{"rm", "remove a workload [--force]", workload_rm},
    Command{"version", "show version, commit, arch and board [--json]", version},
    Command{"create", "OCI runtime: create a container from a bundle (podman/containerd call this)", oci_create},
    Command{"start", "OCI runtime: start a created container", oci_start},
    Command{"state", "OCI runtime: a container's state as JSON", oci_state},
    Command{"kill", "OCI runtime: signal a container's workload", oci_kill},
    Command{"delete", "OCI runtime: delete a container [--force]", oci_delete},
    Command{"exec", "OCI runtime: run a process in a running container (--process FILE or CMD)", oci_exec},
    Command{"pause", "OCI runtime: freeze a running container", oci_pause},
    Command{"resume", "OCI runtime: thaw a paused container", oci_resume},
    Command{"update", "OCI runtime: change a running container's cgroup limits", oci_update},
    Command{"events", "OCI runtime: a container's resource usage as JSON [--stats]", oci_events},
    Command{"features", "OCI runtime: supported features as JSON", oci_features},
    Command{"__container-monitor", "(internal) a container's monitor process", container_monitor},
};

}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace edgeward::cli
