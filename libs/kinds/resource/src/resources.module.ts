import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, ResourceStore } from '@mediator/core';
import { ResourceOperations } from './resource.operations';
import { ResourcesController } from './resources.controller';
import { ResourcesService } from './resources.service';
import { SqlResourceStore } from './sql-resource.store';

/** The resource kind: pools, leases, the expired-lease sweep. */
@Module({
  controllers: [ResourcesController],
  providers: [
    ResourcesService,
    ResourceOperations,
    {
      provide: SqlResourceStore,
      inject: [getDataSourceToken(), Clock],
      useFactory: (dataSource: DataSource, clock: Clock) => new SqlResourceStore(dataSource, clock),
    },
    { provide: ResourceStore, useExisting: SqlResourceStore },
  ],
  exports: [ResourceStore, ResourcesService],
})
export class ResourcesModule {}
