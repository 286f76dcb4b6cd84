import { ServiceStore } from '@mediator/core';
import type { KindLibrary } from '@mediator/mediators';
import { ServiceRegistryModule } from './service-registry.module';
import { SERVICE_TABLES } from './service.tables';

/** The service kind, as the app's KINDS list registers it. */
export const serviceKind: KindLibrary = {
  module: ServiceRegistryModule,
  stores: { services: ServiceStore },
  tables: SERVICE_TABLES,
};
