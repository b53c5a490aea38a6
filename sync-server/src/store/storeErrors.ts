/**
 * Errors the store throws for the caller's mistakes (as opposed to database failures), so routes can
 * map them to 400/404/409 without parsing messages.
 */
export class StoreInputError extends Error {
  override name = 'StoreInputError';
}

export class StoreNotFoundError extends Error {
  override name = 'StoreNotFoundError';
}

/** A unique key is taken, or a record/clip contradicts what is already stored. */
export class StoreConflictError extends Error {
  override name = 'StoreConflictError';
}

/** A record carries a member or payment reference in clear (5.2.4); it is refused, never stored. */
export class ClearPersonalDataError extends StoreInputError {
  override name = 'ClearPersonalDataError';
  constructor(readonly field: string) {
    // The message names the field, never its value: errors end up in logs.
    super(`${field}: clear member or payment data is never stored; send the masked form only`);
  }
}
