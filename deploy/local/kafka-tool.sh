#!/usr/bin/env bash
# Runs a Java main class from the Kafka jars that deploy/local/up.sh fetched (run `up.sh kafka` first).
# Examples (the broker is 127.0.0.1:9092):
#   deploy/local/kafka-tool.sh org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
#   deploy/local/kafka-tool.sh org.apache.kafka.tools.ConsoleProducer --bootstrap-server 127.0.0.1:9092 --topic mediator-commands
#   deploy/local/kafka-tool.sh org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server 127.0.0.1:9092 --topic mediator-responses --from-beginning --max-messages 1
#   deploy/local/kafka-tool.sh org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server 127.0.0.1:9092 --list
set -euo pipefail
# shellcheck source=deploy/local/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ "$#" -ge 1 ] || die "usage: $0 MAIN_CLASS [ARGS...]"
LIBS="$(kafka_libs_dir)"
[ -f "$LIBS/.complete" ] || die "no Kafka jars in $LIBS: run deploy/local/up.sh kafka first"
exec "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
  -Dlog4j2.configurationFile="$LOCAL_DIR/kafka/tools-log4j2.properties" -cp "$LIBS/*" "$@"
