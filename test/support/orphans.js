// Services started by tests (test/support/service.ts) are child processes. One a test left running
// (a start-up that outlived its hook's timeout, a test that threw before its stop) must neither
// keep jest from exiting nor outlive the run: each start appends its pid to the file named by
// MEDIATOR_TEST_PIDS, and the global teardown kills whatever is still alive.
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports.setup = () => {
  process.env.MEDIATOR_TEST_PIDS = join(mkdtempSync(join(tmpdir(), 'mediator-tests-')), 'pids');
};

module.exports.teardown = () => {
  const file = process.env.MEDIATOR_TEST_PIDS;
  if (!file) return;
  let pids = [];
  try {
    pids = readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    // no service was started
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(join(file, '..'), { recursive: true, force: true });
};
