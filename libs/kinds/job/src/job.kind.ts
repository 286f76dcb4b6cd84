import { JobStore } from '@mediator/core';
import type { KindLibrary } from '@mediator/mediators';
import { JobsModule } from './jobs.module';
import { JOB_TABLES } from './job.tables';

/** The job kind, as the app's KINDS list registers it. */
export const jobKind: KindLibrary = {
  module: JobsModule,
  stores: { jobs: JobStore },
  tables: JOB_TABLES,
};
