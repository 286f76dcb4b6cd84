import { Schema } from 'mongoose';

/** An audit entry in MongoDB; `details` is JSON text for the reason given in message.schema.ts. */
export interface AuditDocument {
  _id: string;
  at: Date;
  actor: string;
  transport: string;
  action: string;
  mediator: string | null;
  target: string | null;
  outcome: string;
  request_id: string | null;
  details: string;
}

export const AUDIT_MODEL = 'AuditEntry';

export const AuditSchema = new Schema<AuditDocument>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    transport: { type: String, required: true },
    action: { type: String, required: true },
    mediator: { type: String, default: null },
    target: { type: String, default: null },
    outcome: { type: String, required: true },
    request_id: { type: String, default: null },
    details: { type: String, required: true },
  },
  { collection: 'audit_entries', versionKey: false, autoIndex: false, strict: 'throw' },
);
// Pages are ordered by `_id` (UUID v7, time-ordered), which MongoDB always indexes.
AuditSchema.index({ at: 1 }, { name: 'idx_audit_at' });
AuditSchema.index({ mediator: 1, at: 1 }, { name: 'idx_audit_mediator_at' });
