// What each extensions.code means to a person; the server's own message
// follows it, so a refusal always says why.
const meanings: Record<string, string> = {
  UNAUTHENTICATED: 'Please sign in again.',
  FORBIDDEN: 'Your role may not do this.',
  NOT_FOUND: 'Not found.',
  VALIDATION_FAILED: 'Please check what you entered.',
  CONFLICT: 'This conflicts with the current state.',
  INVALID_CODE: 'That code is not right.',
  CODE_EXPIRED: 'That code has expired: start again.',
  TOO_MANY_ATTEMPTS: 'Too many attempts.',
  RATE_LIMITED: 'Too many requests: wait a little.',
  LOCKED: 'This account is locked for now.',
  KYC_REQUIRED: 'Identity verification is needed first.',
  MAINTENANCE: 'Gatehouse is in maintenance.',
  ACCESS_RESTRICTED: 'Access from here is restricted.',
  UNAVAILABLE: 'Gatehouse is busy: try again shortly.',
  INTERNAL: 'Something went wrong on the server.',
  NETWORK: 'No connection to Gatehouse.',
};

export function describe(code: string, message: string, fields: Record<string, string> = {}): string {
  const head = meanings[code] ?? code;
  const parts = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
  // The server's sentences start in lower case (they read well after a
  // code in logs); here each follows a sentence of its own.
  const sentence = message ? message.charAt(0).toUpperCase() + message.slice(1) : message;
  const detail = parts.length > 0 ? parts.join('; ') : sentence;
  return detail && detail !== head ? `${head} ${detail}` : head;
}
