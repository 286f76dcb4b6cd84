import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ServiceStore } from '@mediator/core';
import { ServiceOperations } from './service.operations';
import { ServicesController } from './services.controller';
import { ServiceRegistryService } from './service-registry.service';
import { SqlServiceStore } from './sql-service.store';

/** The service kind: registry, heartbeats, the missed-heartbeat sweep. */
@Module({
  controllers: [ServicesController],
  providers: [
    ServiceRegistryService,
    ServiceOperations,
    {
      provide: SqlServiceStore,
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => new SqlServiceStore(dataSource),
    },
    { provide: ServiceStore, useExisting: SqlServiceStore },
  ],
  exports: [ServiceStore, ServiceRegistryService],
})
export class ServiceRegistryModule {}
