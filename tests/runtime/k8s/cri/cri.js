// What the CRI clients (cri_client.js, the test; pod_start_bench.js, bench/oci's CRI pod start)
// share: the CRI v1 RuntimeService over containerd's socket as a promise-returning `call`, the
// CRI log reader and polling.
'use strict';
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

// connect(SOCKET, API_PROTO) -> call(METHOD, REQUEST): the response, or an Error naming METHOD.
function connect(socket, protoFile) {
  const def = loader.loadSync(protoFile, {keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true});
  const v1 = grpc.loadPackageDefinition(def).runtime.v1;
  const rt = new v1.RuntimeService('unix://' + socket, grpc.credentials.createInsecure());
  return (method, req) => new Promise((resolve, reject) => {
    rt[method](req, {deadline: Date.now() + 60000}, (err, res) => {
      if (err) reject(new Error(`${method}: ${err.details || err.message}`));
      else resolve(res);
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A CRI log file: "<RFC3339Nano> <stdout|stderr> <F|P> <text>" per line.
function readCriLog(file) {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l) : [];
  return lines.map((l) => {
    const m = /^(\S+) (stdout|stderr) (F|P) (.*)$/.exec(l);
    if (!m || Number.isNaN(Date.parse(m[1]))) throw new Error(`not a CRI log line in ${file}: ${JSON.stringify(l)}`);
    return {stream: m[2], text: m[4]};
  });
}

// waitFor(WHAT, TEST[, MS[, EVERY]]): TEST's first truthy value, polled every EVERY ms; throws
// after MS.
async function waitFor(what, test, ms = 30000, every = 100) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(every)) {
    const v = await test();
    if (v) return v;
  }
  throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
}

module.exports = {connect, sleep, readCriLog, waitFor};
