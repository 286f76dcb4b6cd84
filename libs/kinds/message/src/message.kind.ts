import type { KindLibrary } from '@mediator/mediators';
import { MessagingModule } from './messaging.module';

/**
 * The message kind, as the app's KINDS list registers it. It binds no kind store and brings no
 * tables: envelopes and their per-recipient status are the core's MessageStore port, the
 * document store's (SQL or MongoDB, with the audit trail), which every kind's deliveries use.
 */
export const messageKind: KindLibrary = { module: MessagingModule, stores: {} };
