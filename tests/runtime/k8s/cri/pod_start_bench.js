// CRI pod start, one runtime handler against another in the same containerd (bench/oci's
// cri-pod-start runs it with "edgeward" and "runc"): the time from RunPodSandbox through
// CreateContainer and StartContainer until ContainerStatus reports the container RUNNING, the
// figure the kubelet waits for before a pod's first container runs. Stop and remove are not timed.
// One untimed warm-up pod per handler, then N rounds of one pod per handler, the order swapped
// every round so load on the machine hits both alike. Prints per handler
//   CRI pod start (HANDLER): median M ms (MIN-MAX), N runs
// then each phase's median, and the ratio of the first handler's median to the second's.
//
//   node pod_start_bench.js SOCKET API_PROTO LOG_DIR CGROUP_PARENT N HANDLER_A HANDLER_B
//
// The images localhost/edgeward-pause:test and localhost/edgeward-busybox:test must be imported.
'use strict';
const {connect} = require('./cri');

const [socket, protoFile, logDir, cgroupParent, runs, ...handlers] = process.argv.slice(2);
const n = Number(runs);
if (handlers.length !== 2 || !(n >= 1)) {
  console.error('usage: pod_start_bench.js SOCKET API_PROTO LOG_DIR CGROUP_PARENT N HANDLER_A HANDLER_B');
  process.exit(2);
}
const call = connect(socket, protoFile);
const PHASES = ['RunPodSandbox', 'CreateContainer', 'StartContainer', 'until RUNNING'];

let pods = 0;
// One pod: host network (no CNI), a container sleeping; returns the phases' durations in ms.
async function podStart(handler) {
  const nsOptions = {network: 'NODE', pid: 'CONTAINER', ipc: 'POD'};
  const name = `bench-${handler}-${pods++}`;
  const sandboxConfig = {
    metadata: {name, uid: `${name}-${process.pid}`, namespace: 'edgeward-bench', attempt: 0},
    log_directory: logDir,
    linux: {cgroup_parent: cgroupParent, security_context: {namespace_options: nsOptions}},
  };
  const config = {
    metadata: {name: 'app', attempt: 0},
    image: {image: 'localhost/edgeward-busybox:test'},
    command: ['/bin/sleep', '3600'],
    log_path: `${name}.log`,
    linux: {security_context: {namespace_options: nsOptions}},
  };
  const t = [performance.now()];
  const podId = (await call('RunPodSandbox', {config: sandboxConfig, runtime_handler: handler})).pod_sandbox_id;
  t.push(performance.now());
  try {
    const id = (await call('CreateContainer', {pod_sandbox_id: podId, sandbox_config: sandboxConfig, config})).container_id;
    t.push(performance.now());
    await call('StartContainer', {container_id: id});
    t.push(performance.now());
    for (let state; state !== 'CONTAINER_RUNNING';) {
      state = (await call('ContainerStatus', {container_id: id})).status.state;
      if (state === 'CONTAINER_EXITED') throw new Error(`${handler}: the container exited instead of running`);
    }
    t.push(performance.now());
    await call('StopContainer', {container_id: id, timeout: 0});
  } finally {
    await call('StopPodSandbox', {pod_sandbox_id: podId});
    await call('RemovePodSandbox', {pod_sandbox_id: podId});
  }
  return t.slice(1).map((v, i) => v - t[i]);
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  for (const h of handlers) await podStart(h);  // warm-up: page cache, containerd's first-use paths
  const res = Object.fromEntries(handlers.map((h) => [h, []]));
  for (let i = 0; i < n; i++) {
    for (const h of i % 2 ? [...handlers].reverse() : handlers) res[h].push(await podStart(h));
  }
  const totals = {};
  for (const h of handlers) {
    const total = res[h].map((p) => p.reduce((a, b) => a + b, 0));
    totals[h] = median(total);
    console.log(`CRI pod start (${h}): median ${Math.round(totals[h])} ms (${Math.round(Math.min(...total))}-` +
                `${Math.round(Math.max(...total))}), ${n} runs`);
    console.log(`  phases (${h}), medians: ` +
                PHASES.map((p, i) => `${p} ${Math.round(median(res[h].map((r) => r[i])))} ms`).join(', '));
  }
  const [a, b] = handlers;
  console.log(`ratio ${a}/${b} (medians): ${(totals[a] / totals[b]).toFixed(2)}x (goal <= 1.2x)`);
}

main().catch((e) => {
  console.log(`FAIL: ${e.message}`);
  process.exit(1);
});
