/** Lane ids appear in paths on disk, so they are restricted to a safe alphabet. */
const LANE_ID = /^[A-Za-z0-9_-]{1,32}$/;

export function isLaneId(value: unknown): value is string {
  return typeof value === 'string' && LANE_ID.test(value);
}
