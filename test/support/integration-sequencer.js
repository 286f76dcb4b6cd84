// The integration suites' order: the faults suite first, on servers that have just started, then
// the redelivery cluster suite (MariaDB and Redis, no Kafka timing), then jest's own order. The
// faults suite stops and restarts Kafka, Redis and MariaDB: run last, the restarted broker had
// every earlier suite's topics to load, and a Kafka-timed suite run right after it met a broker
// still settling. This is the order the suites pass in on a 2-core machine.
const Sequencer = require('@jest/test-sequencer').default;

const FIRST = ['faults.int-spec.ts', 'redelivery-cluster.int-spec.ts'];

class IntegrationSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const i = FIRST.findIndex((name) => test.path.endsWith(name));
      return i === -1 ? FIRST.length : i;
    };
    // Array.prototype.sort is stable: the rest keep jest's order.
    return [...super.sort(tests)].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = IntegrationSequencer;
