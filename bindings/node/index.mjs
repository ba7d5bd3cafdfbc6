// The ESM entry point: the same module instance as `require('werun')` (index.js), so that
// errors thrown by one are instances of the other's classes.
import werun from './index.js';

export const {
  decryptSteps,
  decryptStepsWithKeys,
  openData,
  diagnose,
  Diagnosis,
  diagnosisMessage,
  Status,
  statusMessage,
  statusWxCode,
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
  MAX_CANDIDATE_KEYS,
  libraryPath,
  libraryVersion,
  version,
} = werun;

export default werun;
