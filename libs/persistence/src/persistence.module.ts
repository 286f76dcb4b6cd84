import { type DynamicModule, Global, Logger, Module, type Provider } from '@nestjs/common';
import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { Cache } from 'cache-manager';
import type { Connection, ConnectOptions } from 'mongoose';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
// By path: the health lib's index pulls in its controller and, through it, this lib.
import { ComponentHealth } from '@mediator/component-health';
import { RedisConnections } from '@mediator/redis';
import { memoryCacheStore } from './bounded-map';
import { CachedColleagueRepository, CachedMediatorRepository } from './cached-repositories';
import { dataSourceOptions } from './data-source-options';
import type { SqlTables } from './sql-tables';
import { SqlAuditRepository } from './documents/sql-audit.repository';
import { SqlMessageRepository } from './documents/sql-message.repository';
import { MongoAuditRepository } from './mongo/mongo-audit.repository';
import { MongoConnectionService } from './mongo/mongo-connection.service';
import { MongoMessageRepository } from './mongo/mongo-message.repository';
import {
  AuditRepository,
  ColleagueRepository,
  MediatorRepository,
  MessageRepository,
  OutboxRepository,
} from './ports';
import { TypeOrmColleagueRepository } from './relational/typeorm-colleague.repository';
import {
  type ExternalMessages,
  TypeOrmMediatorRepository,
} from './relational/typeorm-mediator.repository';
import { DatabaseConnector } from './relational/database-connector';
import { MongoRetentionStore } from './retention/mongo-retention.store';
import { RetentionStore } from './retention/retention-store';
import { RetentionService } from './retention/retention.service';
import { SqlRetentionStore } from './retention/sql-retention.store';
import { TypeOrmOutboxRepository } from './relational/typeorm-outbox.repository';

const DATA_SOURCE = getDataSourceToken();
const MONGO_CONNECTION = getConnectionToken();

const logger = new Logger('PersistenceModule');

/** Messages in MongoDB are deleted with their mediator, outside the SQL transaction. */
function externalMessages(messages: MessageRepository): ExternalMessages | undefined {
  if (!(messages instanceof MongoMessageRepository)) return undefined;
  return {
    removeMediator: (mediator) => messages.removeMediator(mediator),
    lateRemovalFailed: (mediator, error) =>
      logger.warn({ err: error, mediator }, 'could not purge the messages of a deleted mediator'),
  };
}

/** A cache in Redis: its reads are worth gathering into one round trip (CacheReads). */
const remoteCache = (config: AppConfig) => config.cache.type === 'redis';

/** The relational store (SQLite or MySQL): mediators, colleagues, outbox. */
const relationalProviders: Provider[] = [
  {
    provide: MediatorRepository,
    inject: [DATA_SOURCE, CACHE_MANAGER, APP_CONFIG, MessageRepository],
    useFactory: (ds: DataSource, cache: Cache, config: AppConfig, messages: MessageRepository) => {
      const sql = new TypeOrmMediatorRepository(ds, externalMessages(messages));
      return config.cache.enabled
        ? new CachedMediatorRepository(sql, cache, config.cache.ttlMs, remoteCache(config))
        : sql;
    },
  },
  {
    provide: ColleagueRepository,
    inject: [DATA_SOURCE, CACHE_MANAGER, APP_CONFIG],
    useFactory: (ds: DataSource, cache: Cache, config: AppConfig) => {
      const sql = new TypeOrmColleagueRepository(ds);
      return config.cache.enabled
        ? new CachedColleagueRepository(sql, cache, config.cache.ttlMs, remoteCache(config))
        : sql;
    },
  },
  {
    provide: OutboxRepository,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource) => new TypeOrmOutboxRepository(ds),
  },
];

/** The document store (messages, audit) in the relational database: the embedded default. */
const sqlDocumentProviders: Provider[] = [
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
    provide: RetentionStore,
    inject: [DATA_SOURCE],
    useFactory: (ds: DataSource) => new SqlRetentionStore(ds),
  },
];

/** The document store in MongoDB (`MONGODB_URI`); its events still go to the SQL outbox. */
function mongoDocumentProviders(uri: string, options: ConnectOptions): Provider[] {
  return [
    {
      provide: MessageRepository,
      inject: [MONGO_CONNECTION, OutboxRepository],
      useFactory: (connection: Connection, outbox: OutboxRepository) =>
        new MongoMessageRepository(connection, outbox),
    },
    {
      provide: AuditRepository,
      inject: [MONGO_CONNECTION],
      useFactory: (connection: Connection) => new MongoAuditRepository(connection),
    },
    {
      provide: RetentionStore,
      inject: [MONGO_CONNECTION, DATA_SOURCE],
      useFactory: (connection: Connection, ds: DataSource) =>
        new MongoRetentionStore(connection, new SqlRetentionStore(ds)),
    },
    {
      provide: MongoConnectionService,
      inject: [
        MONGO_CONNECTION,
        MessageRepository,
        AuditRepository,
        { token: ComponentHealth, optional: true },
      ],
      useFactory: (
        connection: Connection,
        messages: MongoMessageRepository,
        audit: MongoAuditRepository,
        health: ComponentHealth | undefined,
      ) => {
        const service = new MongoConnectionService(connection, uri, { ...options }, async () => {
          await messages.ensureIndexes();
          await audit.ensureIndexes();
        });
        health?.register('mongodb', () => service.ping());
        return service;
      },
    },
  ];
}

function mongooseOptions(config: AppConfig): ConnectOptions {
  return {
    dbName: config.database.mongodb.database,
    // Start-up does not wait for MongoDB; MongoConnectionService retries the first connection.
    serverSelectionTimeoutMS: 5000,
    autoIndex: false,
  };
}

/** The stores of DESIGN rule 1, behind their ports; adapters chosen by config. */
@Global()
@Module({})
export class PersistenceModule {
  /** `kinds`: the kind libraries' tables, composed by the app (persistence imports no kind). */
  static forRoot(config: AppConfig, kinds: readonly SqlTables[]): DynamicModule {
    const mongo = config.database.mongodb;
    const options = mongooseOptions(config);
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (appConfig: AppConfig) => ({
            ...dataSourceOptions(appConfig, kinds),
            // DatabaseConnector connects, so a slow database does not stop the process.
            manualInitialization: true,
          }),
        }),
        CacheModule.registerAsync({
          inject: [APP_CONFIG, RedisConnections],
          // cache.type redis (the default with Redis): shared, so an invalidation reaches every instance.
          useFactory: (appConfig: AppConfig, redis: RedisConnections) => ({
            ttl: appConfig.cache.ttlMs,
            stores: [
              appConfig.cache.type === 'redis'
                ? redis.keyv('cache')
                : memoryCacheStore(appConfig.cache.maxItems),
            ],
          }),
        }),
        ...(mongo.enabled
          ? [
              MongooseModule.forRootAsync({
                useFactory: () => ({ uri: mongo.uri, lazyConnection: true, ...options }),
              }),
            ]
          : []),
      ],
      providers: [
        DatabaseConnector,
        RetentionService,
        ...relationalProviders,
        ...(mongo.enabled ? mongoDocumentProviders(mongo.uri, options) : sqlDocumentProviders),
      ],
      exports: [
        MediatorRepository,
        ColleagueRepository,
        MessageRepository,
        AuditRepository,
        OutboxRepository,
        RetentionService,
        CacheModule,
      ],
    };
  }
}
