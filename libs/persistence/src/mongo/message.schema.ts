import { Schema } from 'mongoose';

/**
 * The MongoDB adapter of the document store. Only plain 1/-1 indexes: FerretDB (the
 * MongoDB-compatible server of the integration tests) has no partial, sparse or TTL indexes.
 *
 * User-shaped JSON (payload, headers) is kept as JSON text: field names a client chooses may start
 * with `$` or contain `.`, which MongoDB and FerretDB do not store reliably, and text round-trips
 * every JSON value exactly (as the SQL adapter does).
 */
export interface MessageDocument {
  _id: string;
  mediator: string;
  kind: string;
  type: string;
  sender_id: string;
  recipient_id: string | null;
  /** Every recipient, so the aggregate status can count a slot that is not written yet. */
  recipient_ids: string[];
  payload: string;
  headers: string;
  correlation_id: string | null;
  /** See `idempotencyValue`: never null, so the unique index holds only real keys. */
  idempotency_key: string;
  created_at: Date;
}

/** One recipient's copy of a message: `_id` is `<message id>:<recipient id>`. */
export interface RecipientDocument {
  _id: string;
  message_id: string;
  recipient_id: string;
  mediator: string;
  status: string;
  delivered_at: Date | null;
  acked_at: Date | null;
  /** Refusals and ack timeouts so far; missing on slots written before redelivery existed. */
  attempts?: number;
  /** Epoch ms when the redelivery sweep looks at this slot again; null: never. */
  due_at?: number | null;
  /** When the delivery went dead (retention of dead letters); missing on older dead slots. */
  dead_at?: Date | null;
  last_error?: string | null;
}

export const MESSAGE_MODEL = 'Message';
export const RECIPIENT_MODEL = 'MessageRecipient';

export const MessageSchema = new Schema<MessageDocument>(
  {
    _id: { type: String, required: true },
    mediator: { type: String, required: true },
    kind: { type: String, required: true },
    type: { type: String, required: true },
    sender_id: { type: String, required: true },
    recipient_id: { type: String, default: null },
    recipient_ids: { type: [String], required: true },
    payload: { type: String, required: true },
    headers: { type: String, required: true },
    correlation_id: { type: String, default: null },
    idempotency_key: { type: String, required: true },
    created_at: { type: Date, required: true },
  },
  { collection: 'messages', versionKey: false, autoIndex: false, strict: 'throw' },
);
// A null key is a value like any other under a unique index (MongoDB and FerretDB alike), so a
// message without a key stores a per-message value instead of null: see `idempotencyValue`.
MessageSchema.index(
  { mediator: 1, sender_id: 1, idempotency_key: 1 },
  { unique: true, name: 'uq_messages_idempotency' },
);

export const RecipientSchema = new Schema<RecipientDocument>(
  {
    _id: { type: String, required: true },
    message_id: { type: String, required: true },
    recipient_id: { type: String, required: true },
    mediator: { type: String, required: true },
    status: { type: String, required: true },
    delivered_at: { type: Date, default: null },
    acked_at: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    due_at: { type: Number, default: null },
    dead_at: { type: Date, default: null },
    last_error: { type: String, default: null },
  },
  { collection: 'message_recipients', versionKey: false, autoIndex: false, strict: 'throw' },
);
RecipientSchema.index(
  { mediator: 1, recipient_id: 1, status: 1, message_id: 1 },
  { name: 'idx_inbox' },
);
RecipientSchema.index({ message_id: 1 }, { name: 'idx_recipients_message' });
RecipientSchema.index({ due_at: 1 }, { name: 'idx_recipients_due' });

/**
 * The stored idempotency value: `key:<key>` for a client's key, `none:<message id>` without one.
 * The prefixes keep a client key from ever matching another message's fallback value.
 */
export function idempotencyValue(messageId: string, key: string | undefined): string {
  return key === undefined ? `none:${messageId}` : `key:${key}`;
}

export function recipientDocumentId(messageId: string, recipientId: string): string {
  return `${messageId}:${recipientId}`;
}
