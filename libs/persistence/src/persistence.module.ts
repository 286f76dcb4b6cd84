import { Global, Module } from '@nestjs/common';
import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { Cache } from 'cache-manager';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { CachedColleagueRepository, CachedMediatorRepository } from './cached-repositories';
import { dataSourceOptions } from './data-source-options';
import { SqlAuditRepository } from './documents/sql-audit.repository';
import { SqlMessageRepository } from './documents/sql-message.repository';
import {
  AuditRepository,
  ColleagueRepository,
  MediatorRepository,
  MessageRepository,
  OutboxRepository,
} from './ports';
import { TypeOrmColleagueRepository } from './relational/typeorm-colleague.repository';
import { TypeOrmMediatorRepository } from './relational/typeorm-mediator.repository';
import { TypeOrmOutboxRepository } from './relational/typeorm-outbox.repository';

const DATA_SOURCE = getDataSourceToken();

/** The stores of DESIGN rule 1, behind their ports; adapters chosen by config. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config),
        retryAttempts: 10,
        retryDelay: 2000,
      }),
    }),
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ttl: config.cache.ttlMs }),
    }),
  ],
  providers: [
    {
      provide: MediatorRepository,
      inject: [DATA_SOURCE, CACHE_MANAGER, APP_CONFIG],
      useFactory: (ds: DataSource, cache: Cache, config: AppConfig) => {
        const sql = new TypeOrmMediatorRepository(ds);
        return config.cache.enabled
          ? new CachedMediatorRepository(sql, cache, config.cache.ttlMs)
          : sql;
      },
    },
    {
      provide: ColleagueRepository,
      inject: [DATA_SOURCE, CACHE_MANAGER, APP_CONFIG],
      useFactory: (ds: DataSource, cache: Cache, config: AppConfig) => {
        const sql = new TypeOrmColleagueRepository(ds);
        return config.cache.enabled
          ? new CachedColleagueRepository(sql, cache, config.cache.ttlMs)
          : sql;
      },
    },
    {
      provide: MessageRepository,
      inject: [DATA_SOURCE],
      useFactory: (ds: DataSource) => new SqlMessageRepository(ds),
    },
    {
      provide: AuditRepository,
      inject: [DATA_SOURCE],
      useFactory: (ds: DataSource) => new SqlAuditRepository(ds),
    },
    {
      provide: OutboxRepository,
      inject: [DATA_SOURCE],
      useFactory: (ds: DataSource) => new TypeOrmOutboxRepository(ds),
    },
  ],
  exports: [
    MediatorRepository,
    ColleagueRepository,
    MessageRepository,
    AuditRepository,
    OutboxRepository,
    CacheModule,
  ],
})
export class PersistenceModule {}
