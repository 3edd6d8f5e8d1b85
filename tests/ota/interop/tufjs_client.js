// tuf-js (an independent TUF 1.0 client) refreshing metadata from a repository written by
// `edgeward ota repo`, then downloading and checking one target.
// Usage: node tufjs_client.js BASE_URL CLIENT_DIR TARGET_NAME EXPECTED_FILE
'use strict';
const fs = require('fs');
const path = require('path');
const { Updater } = require('tuf-js');

async function main() {
  const [baseUrl, clientDir, targetName, expectedFile] = process.argv.slice(2);
  const updater = new Updater({
    metadataDir: path.join(clientDir, 'metadata'),
    metadataBaseUrl: `${baseUrl}/metadata`,
    targetDir: path.join(clientDir, 'targets'),
    targetBaseUrl: `${baseUrl}/targets`,
  });
  await updater.refresh();
  const info = await updater.getTargetInfo(targetName);
  if (!info) throw new Error(`tuf-js: no target ${targetName}`);
  const out = await updater.downloadTarget(info, path.join(clientDir, 'targets', 'download.bin'));
  if (!fs.readFileSync(out).equals(fs.readFileSync(expectedFile))) throw new Error('downloaded bytes differ');
  const root = JSON.parse(fs.readFileSync(path.join(clientDir, 'metadata', 'root.json')));
  console.log(`tuf-js ok: root v${root.signed.version}, ${targetName} ${info.length} bytes, custom ${JSON.stringify(info.custom)}`);
}

main().catch((e) => {
  console.error(`tuf-js refused: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
