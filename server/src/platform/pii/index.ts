/**
 * Personal data (PIPL): validation and normalization of ID and phone numbers, masked display, and the
 * sealing service (authenticated encryption + keyed hash) that stores them.
 */
export {
  computeCheckDigit,
  convert15To18,
  generateIdNumber,
  type IdNumberError,
  type IdNumberResult,
  isValidDivisionCode,
  normalizeIdNumber,
  type ParsedIdNumber,
  parseIdNumber,
  type Sex,
  toHalfWidth,
} from './id-number.logic.js';
export { maskIdNumber, maskName, maskPhone } from './mask.logic.js';
export { normalizePhone, type PhoneError, type PhoneKind, type PhoneResult, parsePhone } from './phone.logic.js';
export {
  cipherRecipe,
  createPiiCipher,
  deriveMasterKey,
  loadOrCreateKeyFile,
  PII_HASH_BYTES,
  type PiiCipher,
  type PiiCipherRecipe,
  PiiError,
  type PiiErrorCode,
  type PiiHashDomain,
  type PiiKeyring,
  SEALED_OVERHEAD_BYTES,
} from './pii.crypto.js';
