import { ResourceStore } from '@mediator/core';
import type { KindLibrary } from '@mediator/mediators';
import { ResourcesModule } from './resources.module';
import { RESOURCE_TABLES } from './resource.tables';

/** The resource kind, as the app's KINDS list registers it. */
export const resourceKind: KindLibrary = {
  module: ResourcesModule,
  stores: { resources: ResourceStore },
  tables: RESOURCE_TABLES,
};
