-- 002: each lane's calibration (pick-up, scanner, bagging and exit zones drawn on the camera image;
-- src/core/lane/zones.ts). One current row per lane: a new calibration replaces the old one, and who
-- changed it and when is in the audit log (action lane.zones.set).

CREATE TABLE lane_zones (
  lane text PRIMARY KEY CHECK (lane ~ '^[A-Za-z0-9_-]{1,32}$'),
  -- The validated LaneZones document (zoneValidation.ts), as the kiosk drew it.
  zones jsonb NOT NULL,
  -- The principal that stored it (a device or a user id; never a person's name).
  updated_by text NOT NULL,
  -- When the server stored it; the document's own updatedAt is when it was drawn.
  stored_at timestamptz NOT NULL
);
