// The ESM entry point: the same module instance as `require('werun')` (index.js), so that
// errors thrown by one are instances of the other's classes.
import werun from './index.js';

export const {
  decryptSteps,
  openData,
  diagnose,
  Diagnosis,
  diagnosisMessage,
  Status,
  statusMessage,
  WerunError,
  NullArgumentError,
  SessionKeyInvalidError,
  IvInvalidError,
  EncryptedDataInvalidError,
  CiphertextLengthError,
  BufferTooSmallError,
  DecryptFailedError,
  AppIdMismatchError,
  WatermarkExpiredError,
  CapacityExceededError,
  InternalError,
  InvalidArgumentError,
  ABI_VERSION,
  DEFAULT_CAPACITY,
  libraryPath,
  libraryVersion,
  version,
} = werun;

export default werun;
