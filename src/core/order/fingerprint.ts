/**
 * Identity of an event for duplicate detection. Two deliveries of one event must match whatever
 * their key order, and "x-" extensions are left out so that a relay stamping its own metadata
 * does not turn a replay into a conflict.
 */
import schema from '../../../docs/pos-event.schema.json' with { type: 'json' };
import type { PosEvent } from '../pos/events.ts';

/** Every protocol field of every event type, taken from the schema so the two cannot drift apart. */
export const PROTOCOL_FIELDS: readonly string[] = [
  ...new Set(
    Object.values(schema.definitions).flatMap((definition) =>
      'properties' in definition ? Object.keys(definition.properties) : [],
    ),
  ),
].sort();

export function fingerprint(event: PosEvent): string {
  const fields = event as unknown as Record<string, unknown>;
  return JSON.stringify(PROTOCOL_FIELDS.map((key) => fields[key] ?? null));
}
