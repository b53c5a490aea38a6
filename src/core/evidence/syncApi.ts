import type { OrderVideoRecord } from './record.ts';

/**
 * The contract between the kiosk's outbox and the store server. Every call but enrolment carries
 * `Authorization: Bearer <device token>`; a device may only write its own lane's data.
 */
export const SYNC_API = {
  /** POST { code, lane } → EnrolResponse. The code is one-time (or the demo code, in demo mode only). */
  enrol: '/api/devices/enrol',
  /** GET → ServerKey: the public key clip keys are wrapped with. */
  serverKey: '/api/server-key',
  /** POST { records: OrderVideoRecord[] } (at most 100) → RecordsResponse. Idempotent per (lane, txn, recordedAt). */
  records: '/api/sync/records',
  /** tus 1.0 endpoint for encrypted clips; Upload-Metadata: lane, txn, clipId, sha256. */
  uploads: '/api/uploads/',
  /** GET (reviewer roles) → the record; /clip streams the decrypted clip with Range support, audited. */
  order: (txn: string) => `/api/orders/${encodeURIComponent(txn)}`,
  clip: (txn: string) => `/api/orders/${encodeURIComponent(txn)}/clip`,
} as const;

export interface EnrolResponse {
  deviceId: string;
  lane: string;
  token: string;
}

export interface ServerKey {
  keyId: string;
  /** RSA-OAEP (SHA-256) public key. */
  jwk: JsonWebKey;
}

export interface RecordsRequest {
  records: OrderVideoRecord[];
}

export interface RecordsResponse {
  /** txns stored now or already stored identically (safe to mark synced). */
  stored: string[];
  rejected: { txn: string; error: string }[];
}

/** The demo enrolment code the server accepts while it runs in demo mode (DEMO=1, the default for npm start). */
export const DEMO_ENROL_CODE = 'DEMO';
