// Type declarations of werun, the Node.js binding of the werun library (WeChat WeRun
// decryption). The same declarations serve require('werun') and import 'werun' (index.d.mts).

/**
 * A text argument: the base64 string exactly as the backend received it, or its bytes
 * (a Buffer or any Uint8Array, passed to the library without a copy).
 */
export type Text = string | Uint8Array;

/** How a payload is checked: the appid, its freshness, the base64 mode. */
export interface CheckOptions {
  /**
   * Required: your mini-program's appid (`wx...`), compared byte for byte with
   * `watermark.appid`. `null`, written out, skips the check (only then is a payload without a
   * watermark accepted); leaving it out is a TypeError.
   */
  appid: string | Uint8Array | null;
  /**
   * With `maxAge` (both or neither): the current time in Unix **seconds**
   * (`Math.floor(Date.now() / 1000)`, not `Date.now()`): a safe integer or a bigint (int64).
   */
  now?: number | bigint | null;
  /**
   * With `now`: the largest watermark age accepted, in seconds (0 to 2**64-1). A watermark
   * from the future, or none, fails too (WatermarkExpiredError).
   */
  maxAge?: number | bigint | null;
  /** Accept canonical RFC 4648 base64 only, with no repair (default: false, repair). */
  strictBase64?: boolean;
}

export interface DecryptStepsOptions extends CheckOptions {
  /**
   * The most entries accepted: more is a CapacityExceededError. Default (undefined or null):
   * every entry, however many (never a truncated list).
   */
  maxSteps?: number | null;
  /** Timestamps as exact bigints instead of numbers (default: false). */
  bigint?: boolean;
}

export interface OpenDataOptions extends CheckOptions {
  /** watermarkTimestamp as an exact bigint instead of a number (default: false). */
  bigint?: boolean;
}

export interface DiagnoseOptions {
  /** Read the base64 as decryptSteps would with this option. */
  strictBase64?: boolean;
}

/** One day of WeRun data. */
export interface Step<T extends number | bigint = number> {
  /**
   * The day's start (00:00 UTC+8), Unix seconds. A number (exact up to 2**53, and beyond it
   * the nearest double, as JSON.parse reads it), or with `bigint: true` the exact int64.
   */
  timestamp: T;
  /** Steps walked that day (0 to 2**32-1). */
  step: number;
}

/** What decryptSteps returns. */
export interface WeRunData<T extends number | bigint = number> {
  /** In document order (oldest first in real data; 31 entries: 30 days and today). */
  steps: Step<T>[];
  /** The watermark's Unix time; null when the payload has none (possible only with appid: null). */
  watermarkTimestamp: T | null;
}

/** What openData returns. */
export interface OpenData<T extends number | bigint = number> {
  /** The decrypted plaintext JSON text, unparsed (JSON.parse it). */
  json: string;
  /** The watermark's Unix time; null when the payload has none (possible only with appid: null). */
  watermarkTimestamp: T | null;
}

/**
 * Decrypts WeRun data (`encryptedData` from wx.getWeRunData) and returns its steps.
 *
 * Damage done by web frameworks (`+` turned into a space, line breaks, the URL-safe alphabet,
 * missing `=`) is repaired unless `strictBase64` is true.
 *
 * @throws {WerunError} a subclass per library status (DecryptFailedError, AppIdMismatchError,
 *   ...). Tell the client one generic error; log the details.
 * @throws {TypeError} an argument of the wrong type, a missing appid, an unknown option, or
 *   only one of now and maxAge; checked before anything is decrypted.
 * @throws {RangeError} now, maxAge or maxSteps out of range (not an integer, negative, beyond
 *   int64/uint64); checked before anything is decrypted.
 */
export function decryptSteps(sessionKey: Text, iv: Text, encryptedData: Text,
  options: DecryptStepsOptions & { bigint: true }): WeRunData<bigint>;
export function decryptSteps(sessionKey: Text, iv: Text, encryptedData: Text,
  options: DecryptStepsOptions & { bigint?: false }): WeRunData<number>;
export function decryptSteps(sessionKey: Text, iv: Text, encryptedData: Text,
  options: DecryptStepsOptions): WeRunData<number> | WeRunData<bigint>;

/** What decryptStepsWithKeys returns: decryptSteps' result and the key that worked. */
export interface WeRunDataWithKey<T extends number | bigint = number> extends WeRunData<T> {
  /** The index in sessionKeys of the key the data decrypted under. */
  keyIndex: number;
}

/**
 * decryptSteps with 1 to MAX_CANDIDATE_KEYS (4) candidate session_keys, tried in order: for a
 * key rotated by a new wx.login, keep the previous one a short while and pass both. Every
 * candidate must be base64 of 16 bytes (else SessionKeyInvalidError); when none decrypts the
 * data, DecryptFailedError, the same whatever each candidate did.
 *
 * @throws {WerunError}, {TypeError} (sessionKeys not an array, or holding something else than
 *   text), {RangeError} (no key, or more than MAX_CANDIDATE_KEYS), as decryptSteps otherwise.
 */
export function decryptStepsWithKeys(sessionKeys: readonly Text[], iv: Text, encryptedData: Text,
  options: DecryptStepsOptions & { bigint: true }): WeRunDataWithKey<bigint>;
export function decryptStepsWithKeys(sessionKeys: readonly Text[], iv: Text, encryptedData: Text,
  options: DecryptStepsOptions & { bigint?: false }): WeRunDataWithKey<number>;
export function decryptStepsWithKeys(sessionKeys: readonly Text[], iv: Text, encryptedData: Text,
  options: DecryptStepsOptions): WeRunDataWithKey<number> | WeRunDataWithKey<bigint>;

/**
 * Decrypts any WeChat open data (phone number, user info, share info, WeRun data), checks its
 * watermark as decryptSteps does (appid, freshness), and returns the JSON text.
 *
 * @throws {WerunError}, {TypeError}, {RangeError} as decryptSteps.
 */
export function openData(sessionKey: Text, iv: Text, encryptedData: Text,
  options: OpenDataOptions & { bigint: true }): OpenData<bigint>;
export function openData(sessionKey: Text, iv: Text, encryptedData: Text,
  options: OpenDataOptions & { bigint?: false }): OpenData<number>;
export function openData(sessionKey: Text, iv: Text, encryptedData: Text,
  options: OpenDataOptions): OpenData<number> | OpenData<bigint>;

/** What diagnose names. */
export type DiagnosisName =
  | 'WERUN_DATA'
  | 'NOT_WERUN_DATA'
  | 'SESSION_KEY_MISMATCH'
  | 'IV_MISMATCH'
  | 'GARBLED'
  | 'TRUNCATED';

/**
 * **For server logs only**: the likely cause of a DecryptFailedError (a stale session_key,
 * the wrong iv, not WeRun data, ...). Never tell a client which it was: telling these causes
 * apart is a padding oracle that lets a client forge step counts.
 *
 * @throws {WerunError} for inputs that cannot be decrypted at all (SessionKeyInvalidError,
 *   IvInvalidError, EncryptedDataInvalidError, CiphertextLengthError).
 * @throws {TypeError} as decryptSteps.
 */
export function diagnose(sessionKey: Text, iv: Text, encryptedData: Text,
  options?: DiagnoseOptions): DiagnosisName;

/** Diagnosis values by name (werun_diagnosis). */
export declare const Diagnosis: {
  readonly WERUN_DATA: 0;
  readonly NOT_WERUN_DATA: 1;
  readonly SESSION_KEY_MISMATCH: 2;
  readonly IV_MISMATCH: 3;
  readonly GARBLED: 4;
  readonly TRUNCATED: 5;
};

/**
 * The library's explanation of a diagnosis, by name or value (werun_diagnosis_str). A value
 * must be an integer from 0 to 2**32-1 (RangeError otherwise, never truncated).
 */
export function diagnosisMessage(diagnosis: DiagnosisName | number): string;

/** werun_status values by name. Never renumbered. */
export declare const Status: {
  readonly OK: 0;
  readonly NULL_ARGUMENT: 1;
  readonly SESSION_KEY_INVALID: 2;
  readonly IV_INVALID: 3;
  readonly ENCRYPTED_DATA_INVALID: 4;
  readonly CIPHERTEXT_LENGTH: 5;
  readonly BUFFER_TOO_SMALL: 6;
  readonly DECRYPT_FAILED: 7;
  readonly APPID_MISMATCH: 8;
  readonly WATERMARK_EXPIRED: 9;
  readonly CAPACITY_EXCEEDED: 10;
  readonly INTERNAL: 11;
  readonly INVALID_ARGUMENT: 12;
};

/**
 * The library's static message for a status value, known or not (werun_status_str): an
 * integer from 0 to 2**32-1 (RangeError otherwise, never truncated).
 */
export function statusMessage(status: number): string;

/**
 * The code WeChat's official WXBizDataCrypt sample returns for the same input: 0 for OK,
 * -41001 (IllegalAesKey), -41002 (IllegalIv), -41004 (DecodeBase64Error), and -41003
 * (IllegalBuffer) for the rest (werun_status_wx_code).
 */
export function statusWxCode(status: number): number;

/**
 * Base class of every failure the library reports: `status` is the werun_status value,
 * `code` its C name (`'WERUN_STATUS_DECRYPT_FAILED'`), `message` the library's message.
 */
export declare class WerunError extends Error {
  constructor(message?: string, status?: number);
  readonly status: number;
  readonly code: string;
  /** The code WeChat's WXBizDataCrypt sample gives for the same input (statusWxCode). */
  readonly wxCode: number;
}

/** A required pointer was NULL (never thrown by this binding's API: it passes none). */
export declare class NullArgumentError extends WerunError {
  constructor(message?: string);
  readonly status: 1;
  readonly code: 'WERUN_STATUS_NULL_ARGUMENT';
  static readonly status: 1;
  static readonly code: 'WERUN_STATUS_NULL_ARGUMENT';
}
/** sessionKey is not base64, or not 16 bytes. */
export declare class SessionKeyInvalidError extends WerunError {
  constructor(message?: string);
  readonly status: 2;
  readonly code: 'WERUN_STATUS_SESSION_KEY_INVALID';
  static readonly status: 2;
  static readonly code: 'WERUN_STATUS_SESSION_KEY_INVALID';
}
/** iv is not base64, or not 16 bytes. */
export declare class IvInvalidError extends WerunError {
  constructor(message?: string);
  readonly status: 3;
  readonly code: 'WERUN_STATUS_IV_INVALID';
  static readonly status: 3;
  static readonly code: 'WERUN_STATUS_IV_INVALID';
}
/** encryptedData is not base64. */
export declare class EncryptedDataInvalidError extends WerunError {
  constructor(message?: string);
  readonly status: 4;
  readonly code: 'WERUN_STATUS_ENCRYPTED_DATA_INVALID';
  static readonly status: 4;
  static readonly code: 'WERUN_STATUS_ENCRYPTED_DATA_INVALID';
}
/** The decoded ciphertext is empty or not a multiple of 16 bytes. */
export declare class CiphertextLengthError extends WerunError {
  constructor(message?: string);
  readonly status: 5;
  readonly code: 'WERUN_STATUS_CIPHERTEXT_LENGTH';
  static readonly status: 5;
  static readonly code: 'WERUN_STATUS_CIPHERTEXT_LENGTH';
}
/** A scratch buffer was too small (never thrown by this binding's API: it sizes them). */
export declare class BufferTooSmallError extends WerunError {
  constructor(message?: string);
  readonly status: 6;
  readonly code: 'WERUN_STATUS_BUFFER_TOO_SMALL';
  static readonly status: 6;
  static readonly code: 'WERUN_STATUS_BUFFER_TOO_SMALL';
}
/**
 * Bad padding, not UTF-8, not JSON, or not the expected shape: usually a stale session_key
 * (the user logged in again), the wrong iv, or altered data. One error on purpose: see
 * diagnose().
 */
export declare class DecryptFailedError extends WerunError {
  constructor(message?: string);
  readonly status: 7;
  readonly code: 'WERUN_STATUS_DECRYPT_FAILED';
  static readonly status: 7;
  static readonly code: 'WERUN_STATUS_DECRYPT_FAILED';
}
/** The watermark is missing or belongs to another appid. */
export declare class AppIdMismatchError extends WerunError {
  constructor(message?: string);
  readonly status: 8;
  readonly code: 'WERUN_STATUS_APPID_MISMATCH';
  static readonly status: 8;
  static readonly code: 'WERUN_STATUS_APPID_MISMATCH';
}
/** Freshness was asked for and the watermark is too old, in the future, or missing. */
export declare class WatermarkExpiredError extends WerunError {
  constructor(message?: string);
  readonly status: 9;
  readonly code: 'WERUN_STATUS_WATERMARK_EXPIRED';
  static readonly status: 9;
  static readonly code: 'WERUN_STATUS_WATERMARK_EXPIRED';
}
/** More step entries than maxSteps allowed. */
export declare class CapacityExceededError extends WerunError {
  constructor(message?: string);
  readonly status: 10;
  readonly code: 'WERUN_STATUS_CAPACITY_EXCEEDED';
  static readonly status: 10;
  static readonly code: 'WERUN_STATUS_CAPACITY_EXCEEDED';
}
/** A bug was caught inside the library (should never be seen: please report it). */
export declare class InternalError extends WerunError {
  constructor(message?: string);
  readonly status: 11;
  readonly code: 'WERUN_STATUS_INTERNAL';
  static readonly status: 11;
  static readonly code: 'WERUN_STATUS_INTERNAL';
}
/** An argument was out of range for the C ABI (this binding checks its own first). */
export declare class InvalidArgumentError extends WerunError {
  constructor(message?: string);
  readonly status: 12;
  readonly code: 'WERUN_STATUS_INVALID_ARGUMENT';
  static readonly status: 12;
  static readonly code: 'WERUN_STATUS_INVALID_ARGUMENT';
}

/** The C ABI version this binding was written for (checked against the library at load). */
export declare const ABI_VERSION: number;
/** Entries that fit without a second call (every real WeRun payload has 31). */
export declare const DEFAULT_CAPACITY: number;
/** The most candidate keys decryptStepsWithKeys takes (WERUN_MAX_CANDIDATE_KEYS). */
export declare const MAX_CANDIDATE_KEYS: number;
/** Where the loaded libwerun came from. */
export declare const libraryPath: string;
/** The loaded library's version (werun_version()). */
export declare const libraryVersion: string;
/** This package's version (the crate's). */
export declare const version: string;
