#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('assignment2: the engine is not built yet. Run "npm install" (or "npm run build") in ' + path.dirname(__dirname) + '.');
  process.exit(2);
}

// A reader that stops reading (`| head`) closes the pipe: later writes fail with EPIPE, and the command
// carries on to its end without that output. Any other failure to write turns a success into exit code 1.
const streams = [process.stdout, process.stderr];
let writeFailed = false;
for (const stream of streams) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') return;
    writeFailed = true;
    if (stream !== process.stderr && !process.stderr.destroyed) process.stderr.write('assignment2: cannot write the output: ' + err.message + '\n');
  });
}

/**
 * Exits with `code` once stdout and stderr have passed on everything written to them. A pipe takes
 * 64 KiB at a time and Node hands it the rest later, so an immediate process.exit() would cut the
 * output short (`assignment2 q1 --json | jq .`). An empty write completes after every write before it;
 * the exit itself stays explicit, since native thread pools can keep the process alive.
 */
function exitWhenFlushed(code) {
  process.exitCode = code;
  let pending = streams.length;
  const flushed = () => {
    if (--pending > 0) return;
    process.exit(code === 0 && writeFailed ? 1 : code);
  };
  for (const stream of streams) {
    if (stream.destroyed || !stream.writable) {
      flushed();
      continue;
    }
    stream.write('', (err) => {
      if (err && err.code !== 'EPIPE') writeFailed = true;
      flushed();
    });
  }
}

require(cli)
  .main(process.argv.slice(2))
  .then(exitWhenFlushed);
