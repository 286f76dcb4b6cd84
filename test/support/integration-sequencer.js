// The integration suites' order: jest's own (slowest or failed first), except the faults suite,
// which runs last. It stops and restarts the servers (Kafka for a minute, Redis, MariaDB), and
// a suite started right after it could meet a broker still electing its partition leaders.
const Sequencer = require('@jest/test-sequencer').default;

class IntegrationSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const destructive = (test) => test.path.endsWith('faults.int-spec.ts');
    return [...sorted.filter((t) => !destructive(t)), ...sorted.filter(destructive)];
  }
}

module.exports = IntegrationSequencer;
