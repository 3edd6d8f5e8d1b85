// A kubelet-equivalent client of the CRI v1 API (k8s.io/cri-api runtime.v1, api.proto from
// Debian's containerd source package) driving pods through containerd, as the kubelet would:
// RunPodSandbox with a runtime handler, two containers sharing the pod's IPC namespace and
// /dev/shm, user/group, read-only and writable root file systems, a host-path and an
// emptyDir-style mount, env, exit codes, CRI-format logs, ExecSync, ContainerStats, then stop and
// remove everything; a second pod with shareProcessNamespace (its container in the sandbox's pid
// namespace, seeing the pause process); with the edgeward binary, a microVM pod refused at
// RunPodSandbox. Every check prints "ok: ..." or "FAIL: ..."; a failed check does not stop the
// run unless what follows depends on it (then the rest is skipped, the pod still removed). Ends
// with "N passed, M failed" and exit 1 when anything failed.
//
//   node cri_client.js SOCKET API_PROTO HANDLER WORK_DIR CONTAINERD_STATE CGROUP_PARENT
//
// WORK_DIR holds host-data/ (the host path), pod-scratch/ (the emptyDir) and logs/; the images
// localhost/edgeward-pause:test and localhost/edgeward-busybox:test must already be imported.
'use strict';
const fs = require('fs');
const path = require('path');
const {connect, readCriLog, waitFor} = require('./cri');

const [socket, protoFile, handler, work, stateDir, cgroupParent] = process.argv.slice(2);
if (!cgroupParent) {
  console.error('usage: cri_client.js SOCKET API_PROTO HANDLER WORK_DIR CONTAINERD_STATE CGROUP_PARENT');
  process.exit(2);
}
const IMAGE = 'localhost/edgeward-busybox:test';
const started = Date.now();
const call = connect(socket, protoFile);

let passed = 0;
let failed = 0;
function ok(what) {
  passed++;
  console.log(`ok: ${what}`);
}
function expect(cond, what, detail) {
  if (cond) return ok(what);
  failed++;
  console.log(`FAIL: ${what}${detail === undefined ? '' : ` (got ${JSON.stringify(detail)})`}`);
}
// A step whose failure the next ones do not depend on: recorded, and the run goes on.
async function step(what, fn) {
  try {
    await fn();
  } catch (e) {
    failed++;
    console.log(`FAIL: ${what}: ${e.message}`);
  }
}
const nsOptions = {network: 'NODE', pid: 'CONTAINER', ipc: 'POD'};  // hostNetwork: no CNI needed
const podConfig = {
  metadata: {name: 'cri-pod', uid: `uid-${process.pid}`, namespace: 'edgeward-test', attempt: 0},
  hostname: '',  // host network: the host's UTS namespace, no hostname of the pod's own
  log_directory: path.join(work, 'logs'),
  annotations: {'edgeward.io/backend': 'sandbox'},
  labels: {app: 'edgeward-cri-test'},
  linux: {cgroup_parent: cgroupParent, security_context: {namespace_options: nsOptions}},
};

// Container "app": uid 1000 / gid 3000 / extra group 4000, read-only root, both mounts; waits for
// SIGTERM. Container "reader": root, writable root, reads what "app" left; exits 7.
const appScript = [
  'echo "user $(id -u) group $(id -g) groups $(id -G)"',
  'echo "env $GREETING"',
  'if touch /rootfs-probe 2>/dev/null; then echo "rootfs writable"; else echo "rootfs read-only"; fi',
  'echo written-by-app > /data/from-app',
  'echo shared-by-app > /scratch/from-app',
  'echo shm-by-app > /dev/shm/from-app',
  'echo "to stderr" >&2',
  'trap "echo got TERM; exit 0" TERM',
  'echo ready',
  'while :; do sleep 0.2; done',
].join('\n');
const readerScript = [
  'echo "user $(id -u)"',
  'echo "scratch $(cat /scratch/from-app)"',
  'echo "shm $(cat /dev/shm/from-app)"',
  'echo rootfs-ok > /written-here && echo "rootfs $(cat /written-here)"',
  'echo done',
  'sleep 2',  // time for the client to look at its namespaces from the host
  'exit 7',
].join('\n');

function containerConfig(name, script, extra) {
  return {
    metadata: {name, attempt: 0},
    image: {image: IMAGE},
    command: ['/bin/sh', '-c', script],
    envs: [{key: 'GREETING', value: `hello from ${name}`}],
    log_path: `${name}.log`,
    mounts: [
      {container_path: '/data', host_path: path.join(work, 'host-data')},
      {container_path: '/scratch', host_path: path.join(work, 'pod-scratch')},
    ],
    linux: {
      resources: {memory_limit_in_bytes: 128 * 1024 * 1024, cpu_shares: 256},
      security_context: Object.assign({namespace_options: nsOptions}, extra),
    },
  };
}

async function status(id) {
  const r = await call('ContainerStatus', {container_id: id, verbose: true});
  return {s: r.status, info: r.info && r.info.info ? JSON.parse(r.info.info) : {}};
}

async function main() {
  const ver = await call('Version', {version: 'v1'});
  ok(`CRI ${ver.runtime_api_version} from ${ver.runtime_name} ${ver.runtime_version}, handler "${handler}"`);

  const sb = await call('RunPodSandbox', {config: podConfig, runtime_handler: handler});
  const podId = sb.pod_sandbox_id;
  const podStatus = await call('PodSandboxStatus', {pod_sandbox_id: podId, verbose: true});
  expect(podStatus.status.state === 'SANDBOX_READY', 'RunPodSandbox: the pod sandbox is ready', podStatus.status.state);
  expect(podStatus.status.runtime_handler === handler, `the sandbox runs with handler ${handler}`, podStatus.status.runtime_handler);
  const podPid = JSON.parse(podStatus.info.info).pid;
  const podIpc = fs.readlinkSync(`/proc/${podPid}/ns/ipc`);
  expect(podIpc !== fs.readlinkSync('/proc/self/ns/ipc'), `the sandbox (pid ${podPid}) has its own IPC namespace ${podIpc}`, podIpc);
  const bundle = JSON.parse(fs.readFileSync(path.join(stateDir, 'io.containerd.runtime.v2.task/k8s.io', podId, 'config.json')));
  expect(bundle.annotations && bundle.annotations['edgeward.io/backend'] === 'sandbox',
         'the pod annotation edgeward.io/backend reaches the OCI bundle (pod_annotations)', bundle.annotations);

  const app = (await call('CreateContainer', {pod_sandbox_id: podId, sandbox_config: podConfig, config:
    containerConfig('app', appScript, {run_as_user: {value: 1000}, run_as_group: {value: 3000},
                                       supplemental_groups: [4000], readonly_rootfs: true})})).container_id;
  await call('StartContainer', {container_id: app});
  const appLog = path.join(work, 'logs', 'app.log');
  await waitFor('"ready" in the log of app', () => readCriLog(appLog).some((l) => l.text === 'ready'));
  const appStatus = await status(app);
  expect(appStatus.s.state === 'CONTAINER_RUNNING', 'CreateContainer + StartContainer: app is running', appStatus.s.state);
  const appPid = appStatus.info.pid;
  const cgroup = fs.readFileSync(`/proc/${appPid}/cgroup`, 'utf8');
  expect(cgroup.split('\n').some((l) => /:memory:/.test(l) && l.includes(cgroupParent)),
         `app's init (pid ${appPid}) is in a memory cgroup under ${cgroupParent}`, cgroup);

  const cpuLine = cgroup.split('\n').find((l) => /^\d+:([^:]*,)?cpu(,[^:]*)?:/.test(l));
  if (cpuLine) {  // cgroup v1: the cpu hierarchy's group carries linux.resources.cpu.shares
    const [, ctrls, where] = cpuLine.split(':');
    const shares = fs.readFileSync(`/sys/fs/cgroup/${ctrls}${where}/cpu.shares`, 'utf8').trim();
    expect(shares === '256', 'resources: cpu shares 256 in the container\'s cpu cgroup', shares);
  }
  const log = readCriLog(appLog);
  console.log(`   app's log: ${JSON.stringify(log.map((l) => `${l.stream}: ${l.text}`))}`);
  const out = log.filter((l) => l.stream === 'stdout').map((l) => l.text);
  const has = (line) => out.includes(line);
  expect(out[0] && /^user 1000 group 3000 groups .*\b4000\b/.test(out[0]), 'runAsUser 1000, runAsGroup 3000, supplementalGroups 4000', out[0]);
  expect(has('env hello from app'), 'env GREETING', out);
  expect(has('rootfs read-only'), 'readOnlyRootFilesystem: the root is read-only', out);
  const appIpc = fs.readlinkSync(`/proc/${appPid}/ns/ipc`);
  expect(appIpc === podIpc, 'app (its pid as the runtime reports it) is in the pod\'s IPC namespace', appIpc);
  const appPidNs = fs.readlinkSync(`/proc/${appPid}/ns/pid`);
  expect(appPidNs !== fs.readlinkSync(`/proc/${podPid}/ns/pid`), 'pid CONTAINER: app has a pid namespace apart from the sandbox\'s',
         appPidNs);
  expect(log.some((l) => l.stream === 'stderr' && l.text === 'to stderr'), 'CRI log: stderr line tagged stderr', log);
  const st = fs.statSync(path.join(work, 'host-data', 'from-app'));
  if (process.env.CRI_HOST_IDS === 'range') {  // never host root: uid 1000 inside is base + 1000 outside
    const base = st.uid - 1000;
    expect(base >= 65536 && st.gid - 3000 === base,
           'a file app wrote on the host path is owned by its host range\'s 1000:3000 (base + id, base >= 65536)', `${st.uid}:${st.gid}`);
  } else {
    expect(st.uid === 1000 && st.gid === 3000, 'a file app wrote on the host path is owned by 1000:3000 on the host',
           `${st.uid}:${st.gid}`);
  }

  await step('ExecSync', async () => {
    const ex = await call('ExecSync', {container_id: app, cmd: ['/bin/sh', '-c', 'id -u; cat /data/from-app; exit 3'], timeout: 20});
    expect(ex.exit_code === 3 && ex.stdout.toString() === '1000\nwritten-by-app\n', 'ExecSync: output and exit code 3 (as uid 1000)',
           {code: ex.exit_code, stdout: ex.stdout.toString(), stderr: ex.stderr.toString()});
    const cg = (await call('ExecSync', {container_id: app, cmd: ['/bin/cat', '/proc/self/cgroup'], timeout: 20})).stdout.toString();
    expect(cg.split('\n').some((l) => /:memory:/.test(l) && l.includes(cgroupParent)),
           'ExecSync: the process is in the container\'s memory cgroup', cg);
  });
  await step('ContainerStats', async () => {
    const stats = (await call('ContainerStats', {container_id: app})).stats;
    const mem = stats.memory && stats.memory.working_set_bytes ? stats.memory.working_set_bytes.value : 0;
    const cpu = stats.cpu && stats.cpu.usage_core_nano_seconds ? stats.cpu.usage_core_nano_seconds.value : 0;
    // The container's own: more than nothing, less than its 128 MiB limit and than a minute of CPU
    // (a host-wide group would show the whole machine's).
    expect(mem > 0 && mem < 128 * 1024 * 1024 && cpu > 0 && cpu < 60e9,
           `ContainerStats: working set ${mem} bytes, cpu ${cpu} ns (the container's own cgroup)`, stats);
  });

  const reader = (await call('CreateContainer', {pod_sandbox_id: podId, sandbox_config: podConfig,
    config: containerConfig('reader', readerScript, {})})).container_id;
  await call('StartContainer', {container_id: reader});
  const readerPid = (await status(reader)).info.pid;
  const readerIpc = fs.readlinkSync(`/proc/${readerPid}/ns/ipc`);
  expect(readerIpc === podIpc, 'reader shares the pod\'s IPC namespace with app', readerIpc);
  const done = await waitFor('reader to exit', async () => {
    const r = await status(reader);
    return r.s.state === 'CONTAINER_EXITED' ? r : null;
  });
  expect(done.s.exit_code === 7, 'reader exited with code 7', done.s.exit_code);
  const rout = readCriLog(path.join(work, 'logs', 'reader.log')).filter((l) => l.stream === 'stdout').map((l) => l.text);
  expect(rout.includes('user 0'), 'reader runs as the image\'s user (0)', rout);
  expect(rout.includes('scratch shared-by-app'), 'the emptyDir-style mount is shared by both containers', rout);
  expect(rout.includes('shm shm-by-app'), 'the pod\'s /dev/shm is shared by both containers', rout);
  expect(rout.includes('rootfs rootfs-ok'), 'a writable root file system (readonly false)', rout);

  await call('StopContainer', {container_id: app, timeout: 10});
  const stopped = await status(app);
  expect(stopped.s.state === 'CONTAINER_EXITED' && stopped.s.exit_code === 0, 'StopContainer: app handled SIGTERM, exit code 0',
         {state: stopped.s.state, code: stopped.s.exit_code});
  expect(readCriLog(appLog).some((l) => l.text === 'got TERM'), 'app logged its SIGTERM', readCriLog(appLog));

  for (const id of [app, reader]) await call('RemoveContainer', {container_id: id});
  await call('StopPodSandbox', {pod_sandbox_id: podId});
  await call('RemovePodSandbox', {pod_sandbox_id: podId});

  await step('shareProcessNamespace', sharedPidPod);

  if (process.env.CRI_BINARY === 'edgeward') {  // never half a pod: a microVM pod is refused at RunPodSandbox
    const vmPod = Object.assign({}, podConfig, {
      metadata: Object.assign({}, podConfig.metadata, {name: 'vm-pod', uid: `vm-${process.pid}`}),
      annotations: {'edgeward.io/backend': 'vm', 'edgeward.io/vm.kernel': '/nonexistent/bzImage'},
    });
    const refused = await call('RunPodSandbox', {config: vmPod, runtime_handler: handler}).then(() => '', (e) => e.message);
    expect(/vm is not available for Kubernetes pods/.test(refused),
           'RunPodSandbox with edgeward.io/backend=vm fails with the reason', refused);
  }
  const left = await call('ListContainers', {filter: {}});
  const pods = await call('ListPodSandbox', {filter: {}});
  expect(left.containers.length === 0 && pods.items.length === 0, 'stop/remove: no container or sandbox left in the CRI',
         {containers: left.containers.length, pods: pods.items.length});
}

// shareProcessNamespace (namespace_options.pid POD): a second pod, whose container joins the
// sandbox's pid namespace (containerd names it by path, /proc/<pause>/ns/pid). The container must
// see the pause process in its /proc, and its pid namespace as the host sees it (through the pid
// the runtime reports) must be the sandbox's. The pod is removed whatever happens.
async function sharedPidPod() {
  const shared = {network: 'NODE', pid: 'POD', ipc: 'POD'};
  const config = Object.assign({}, podConfig, {
    metadata: Object.assign({}, podConfig.metadata, {name: 'shared-pid-pod', uid: `pid-${process.pid}`}),
    linux: {cgroup_parent: cgroupParent, security_context: {namespace_options: shared}},
  });
  const podId = (await call('RunPodSandbox', {config, runtime_handler: handler})).pod_sandbox_id;
  try {
    const podPid = JSON.parse((await call('PodSandboxStatus', {pod_sandbox_id: podId, verbose: true})).info.info).pid;
    const podPidNs = fs.readlinkSync(`/proc/${podPid}/ns/pid`);
    expect(podPidNs !== fs.readlinkSync('/proc/self/ns/pid'), `the sandbox (pid ${podPid}) has a pid namespace of its own`, podPidNs);
    const script = [  // every process whose command line is the pause program's
      'for p in /proc/[0-9]*; do [ "$(tr "\\0" " " < $p/cmdline 2>/dev/null)" = "/pause " ] && echo "pause is pid ${p#/proc/}"; done',
      'echo ready',
      'exec sleep 600',
    ].join('\n');
    const id = (await call('CreateContainer', {pod_sandbox_id: podId, sandbox_config: config,
      config: containerConfig('ps', script, {namespace_options: shared})})).container_id;
    await call('StartContainer', {container_id: id});
    const log = path.join(work, 'logs', 'ps.log');
    await waitFor('"ready" in the log of ps', () => readCriLog(log).some((l) => l.text === 'ready'));
    const out = readCriLog(log).filter((l) => l.stream === 'stdout').map((l) => l.text);
    expect(out.some((l) => /^pause is pid \d+$/.test(l)), 'shareProcessNamespace: the container sees the pause process', out);
    const pid = (await status(id)).info.pid;
    const pidNs = fs.readlinkSync(`/proc/${pid}/ns/pid`);
    expect(pidNs === podPidNs, 'shareProcessNamespace: the container (its pid as the runtime reports it) is in the sandbox\'s pid namespace',
           {container: pidNs, sandbox: podPidNs});
    await call('StopContainer', {container_id: id, timeout: 5});
  } finally {
    await call('StopPodSandbox', {pod_sandbox_id: podId}).catch(() => {});
    await call('RemovePodSandbox', {pod_sandbox_id: podId}).catch(() => {});
  }
}

// On a failure that stops the run, the pod and its containers are still stopped and removed.
async function removeAll() {
  const pods = await call('ListPodSandbox', {filter: {}});
  for (const c of (await call('ListContainers', {filter: {}})).containers) {
    await call('StopContainer', {container_id: c.id, timeout: 5}).catch(() => {});
    await call('RemoveContainer', {container_id: c.id}).catch(() => {});
  }
  for (const p of pods.items) {
    await call('StopPodSandbox', {pod_sandbox_id: p.id}).catch(() => {});
    await call('RemovePodSandbox', {pod_sandbox_id: p.id}).catch(() => {});
  }
}

main().catch(async (e) => {
  failed++;
  console.log(`FAIL: ${e.message} (the remaining steps are skipped)`);
  await removeAll().catch((e2) => console.log(`FAIL: cleaning up: ${e2.message}`));
}).then(() => {
  console.log(`handler ${handler}, ${((Date.now() - started) / 1000).toFixed(1)} s:`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
});
