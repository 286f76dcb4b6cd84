export { KafkaModule } from './kafka.module';
export { KafkaCommandServer } from './kafka-command.server';
export type { KafkaReply } from './kafka-command.handler';
export { KafkaOperation } from './kafka-operation.decorator';
