'use strict';
// Statuses and errors: one WerunError subclass per werun_status.

const { STATUS_NAMES, fns } = require('./ffi');

/** werun_status values by name: Status.DECRYPT_FAILED === 7. Never renumbered. */
const Status = Object.freeze(
  Object.fromEntries(STATUS_NAMES.map((name, value) => [name, value])));

/**
 * A status or diagnosis value as the C functions take it (uint32_t): an integer from 0 to
 * 2**32-1. Anything else is refused, never truncated (2**32 + 1 is not 1) nor converted (an
 * object's valueOf is never called): another number is a RangeError, another type a TypeError.
 */
function codeValue(value, fn, what) {
  if (typeof value !== 'number') {
    throw new TypeError(`werun: ${fn} takes ${what} value (a number), not ` +
      (value === null ? 'null' : typeof value));
  }
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`werun: ${fn} takes ${what} value: an integer from 0 to 2**32-1, got ` +
      `${value}`);
  }
  return value;
}

/** The library's static message for a status value, known or not (werun_status_str). */
function statusMessage(status) {
  return fns.werun_status_str(codeValue(status, 'statusMessage', 'a status'));
}

/**
 * The code WeChat's official WXBizDataCrypt sample returns for the same input (0, -41001 to
 * -41004; -41003 for statuses it has no counterpart for): werun_status_wx_code.
 */
function statusWxCode(status) {
  return fns.werun_status_wx_code(codeValue(status, 'statusWxCode', 'a status'));
}

const MESSAGES = STATUS_NAMES.map((_, value) => statusMessage(value));
const WX_CODES = STATUS_NAMES.map((_, value) => statusWxCode(value));

/**
 * Base class of every failure the library reports. `status` is the werun_status value,
 * `code` its C name (`'WERUN_STATUS_DECRYPT_FAILED'`), `message` the library's message,
 * `wxCode` the code WeChat's WXBizDataCrypt sample gives for the same input.
 */
class WerunError extends Error {
  constructor(message, status) {
    const value = status === undefined ? new.target.status : status;
    super(message === undefined ? statusMessage(value) : message);
    this.status = value;
    const name = value > 0 ? STATUS_NAMES[value] : undefined;
    this.code = `WERUN_STATUS_${name === undefined ? 'UNKNOWN' : name}`;
    this.wxCode = name === undefined ? statusWxCode(value) : WX_CODES[value];
  }
}
Object.defineProperty(WerunError.prototype, 'name', { value: 'WerunError', writable: true });
WerunError.status = Status.INTERNAL;

function define(className, statusName) {
  const cls = {
    [className]: class extends WerunError {
      constructor(message) {
        super(message, Status[statusName]);
      }
    },
  }[className];
  Object.defineProperty(cls.prototype, 'name', { value: className, writable: true });
  cls.status = Status[statusName];
  cls.code = `WERUN_STATUS_${statusName}`;
  cls.wxCode = WX_CODES[Status[statusName]];
  return cls;
}

// a required pointer was NULL (never raised by this binding: it passes none)
const NullArgumentError = define('NullArgumentError', 'NULL_ARGUMENT');
// sessionKey is not base64, or not 16 bytes
const SessionKeyInvalidError = define('SessionKeyInvalidError', 'SESSION_KEY_INVALID');
// iv is not base64, or not 16 bytes
const IvInvalidError = define('IvInvalidError', 'IV_INVALID');
// encryptedData is not base64
const EncryptedDataInvalidError = define('EncryptedDataInvalidError', 'ENCRYPTED_DATA_INVALID');
// the decoded ciphertext is empty or not a multiple of 16 bytes
const CiphertextLengthError = define('CiphertextLengthError', 'CIPHERTEXT_LENGTH');
// a scratch buffer was too small (never raised by this binding: it sizes them)
const BufferTooSmallError = define('BufferTooSmallError', 'BUFFER_TOO_SMALL');
// bad padding, not UTF-8, not JSON, or not the expected shape: a stale session_key, the
// wrong iv, or altered data (one error on purpose: see diagnose())
const DecryptFailedError = define('DecryptFailedError', 'DECRYPT_FAILED');
// the watermark is missing or belongs to another appid
const AppIdMismatchError = define('AppIdMismatchError', 'APPID_MISMATCH');
// freshness was asked for and the watermark is too old, in the future, or missing
const WatermarkExpiredError = define('WatermarkExpiredError', 'WATERMARK_EXPIRED');
// more step entries than maxSteps
const CapacityExceededError = define('CapacityExceededError', 'CAPACITY_EXCEEDED');
// a bug was caught inside the library (should never be seen: please report it)
const InternalError = define('InternalError', 'INTERNAL');
// an argument was out of range for the C ABI (this binding checks its own first)
const InvalidArgumentError = define('InvalidArgumentError', 'INVALID_ARGUMENT');

/** The error class of each status value (index = value; OK has none). */
const ERRORS = Object.freeze([
  undefined,
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
]);

/**
 * The error for a non-OK status value (an unknown value gives a plain WerunError), its stack
 * starting at the caller of `api` (the public function that failed).
 */
function errorFor(status, api) {
  const cls = ERRORS[status];
  const error = cls === undefined
    ? new WerunError(statusMessage(status), status) : new cls(MESSAGES[status]);
  if (api !== undefined && Error.captureStackTrace) Error.captureStackTrace(error, api);
  return error;
}

module.exports = {
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
  ERRORS,
  errorFor,
  codeValue,
};
