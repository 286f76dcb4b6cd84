import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { collectOperations } from './kafka-operation.decorator';
import type { Operation } from './operation';

/**
 * The operations of `mediator-commands`: every `@KafkaOperation` method of every provider of the
 * app, found at start-up, so the transport knows no kind (each kind declares its own operations
 * in its library). A name declared twice stops the boot.
 */
@Injectable()
export class KafkaOperations implements OnModuleInit {
  private operations: ReadonlyMap<string, Operation> = new Map();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const providers = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.isDependencyTreeStatic() && !wrapper.isNotMetatype)
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is object => typeof instance === 'object' && instance !== null);
    this.operations = collectOperations(providers);
  }

  find(type: string): Operation | undefined {
    return this.operations.get(type);
  }
}
