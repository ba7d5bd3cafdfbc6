package werun

// #include <werun.h>
import "C"

import "errors"

// Status is a werun_status from the C ABI: every error this package returns is a Status
// value, so errors.Is(err, StatusDecryptFailed) works (also through fmt.Errorf's %w), and
// errors.As(err, &status) recovers the code. The numbers are stable and never renumbered.
type Status uint32

// The statuses, with the C header's values. Success is a nil error, never a Status.
const (
	// StatusNullArgument: a required pointer is NULL (never from this package: Go strings
	// and slices always give the library a valid pointer).
	StatusNullArgument = Status(C.WERUN_STATUS_NULL_ARGUMENT)
	// StatusSessionKeyInvalid: session_key is not base64 of 16 bytes.
	StatusSessionKeyInvalid = Status(C.WERUN_STATUS_SESSION_KEY_INVALID)
	// StatusIVInvalid: iv is not base64 of 16 bytes.
	StatusIVInvalid = Status(C.WERUN_STATUS_IV_INVALID)
	// StatusEncryptedDataInvalid: encryptedData is not base64.
	StatusEncryptedDataInvalid = Status(C.WERUN_STATUS_ENCRYPTED_DATA_INVALID)
	// StatusCiphertextLength: the decoded ciphertext is empty or not whole 16-byte blocks.
	StatusCiphertextLength = Status(C.WERUN_STATUS_CIPHERTEXT_LENGTH)
	// StatusBufferTooSmall: a scratch buffer is too small (never from this package, which
	// sizes its buffers itself).
	StatusBufferTooSmall = Status(C.WERUN_STATUS_BUFFER_TOO_SMALL)
	// StatusDecryptFailed: bad padding, not UTF-8, not JSON or not the expected shape: a stale
	// or mismatched session_key, the wrong iv, or altered data. One status on purpose (see
	// Diagnose).
	StatusDecryptFailed = Status(C.WERUN_STATUS_DECRYPT_FAILED)
	// StatusAppIDMismatch: the watermark is missing or belongs to another appid.
	StatusAppIDMismatch = Status(C.WERUN_STATUS_APPID_MISMATCH)
	// StatusWatermarkExpired: freshness was asked for and the watermark is too old, in the
	// future or missing.
	StatusWatermarkExpired = Status(C.WERUN_STATUS_WATERMARK_EXPIRED)
	// StatusCapacityExceeded: more step entries than the output holds (never truncated).
	StatusCapacityExceeded = Status(C.WERUN_STATUS_CAPACITY_EXCEEDED)
	// StatusInternal: a bug caught at the library's boundary; should never be seen.
	StatusInternal = Status(C.WERUN_STATUS_INTERNAL)
	// StatusInvalidArgument: an argument is out of range (here: an AppID together with
	// SkipAppIDCheck, or a negative MaxAge).
	StatusInvalidArgument = Status(C.WERUN_STATUS_INVALID_ARGUMENT)
)

// The codes WeChat's official WXBizDataCrypt sample returns (its ErrorCode names after the
// WX prefix), which Status.WXCode maps to.
const (
	// WXOK (OK): success.
	WXOK int32 = 0
	// WXIllegalAESKey (IllegalAesKey): the session_key is not base64 of 16 bytes.
	WXIllegalAESKey int32 = -41001
	// WXIllegalIV (IllegalIv): the iv is not base64 of 16 bytes.
	WXIllegalIV int32 = -41002
	// WXIllegalBuffer (IllegalBuffer): decryption or the appid check failed; the sample's
	// catch-all failure.
	WXIllegalBuffer int32 = -41003
	// WXDecodeBase64Error (DecodeBase64Error): encryptedData is not base64.
	WXDecodeBase64Error int32 = -41004
)

// WXCode is the code WeChat's official WXBizDataCrypt sample returns for the same input
// (werun_status_wx_code), for a backend that replaces the sample and must keep answering with
// its codes: WXIllegalAESKey for StatusSessionKeyInvalid, WXIllegalIV for StatusIVInvalid,
// WXDecodeBase64Error for StatusEncryptedDataInvalid, and WXIllegalBuffer for
// StatusCiphertextLength, StatusDecryptFailed and StatusAppIDMismatch. The statuses the sample
// has no counterpart for (it has no such argument or check: StatusNullArgument,
// StatusBufferTooSmall, StatusWatermarkExpired, StatusCapacityExceeded, StatusInternal,
// StatusInvalidArgument) and unknown values give WXIllegalBuffer too; Status(0) (OK) gives 0.
func (s Status) WXCode() int32 { return int32(C.werun_status_wx_code(C.uint32_t(s))) }

// WXCode is the WXBizDataCrypt code for an error this package returned: WXOK for nil, the
// Status's code (Status.WXCode) for a Status, also wrapped (errors.As), and WXIllegalBuffer
// for any other error.
func WXCode(err error) int32 {
	if err == nil {
		return WXOK
	}
	var s Status
	if errors.As(err, &s) {
		return s.WXCode()
	}
	return WXIllegalBuffer
}

// messages caches werun_status_str for the known codes (filled in init), so that Error needs
// no cgo call.
var messages [C.WERUN_STATUS_INVALID_ARGUMENT + 1]string

// Error returns the library's message for the status (werun_status_str), with advice.
func (s Status) Error() string {
	if int(s) < len(messages) {
		return messages[s]
	}
	return C.GoString(C.werun_status_str(C.uint32_t(s)))
}

// Diagnosis is a werun_diagnosis from the C ABI: the likely cause of a StatusDecryptFailed,
// for server logs only.
type Diagnosis uint32

// The diagnoses, with the C header's values.
const (
	// DiagnosisWeRunData: the data decrypts to WeRun data (the failure was elsewhere).
	DiagnosisWeRunData = Diagnosis(C.WERUN_DIAGNOSIS_WERUN_DATA)
	// DiagnosisNotWeRunData: valid JSON, but not the WeRun shape (other open data?).
	DiagnosisNotWeRunData = Diagnosis(C.WERUN_DIAGNOSIS_NOT_WERUN_DATA)
	// DiagnosisSessionKeyMismatch: bad padding: most likely a stale or mismatched session_key.
	DiagnosisSessionKeyMismatch = Diagnosis(C.WERUN_DIAGNOSIS_SESSION_KEY_MISMATCH)
	// DiagnosisIVMismatch: only the first block is garbled: the wrong iv.
	DiagnosisIVMismatch = Diagnosis(C.WERUN_DIAGNOSIS_IV_MISMATCH)
	// DiagnosisGarbled: the padding is right but the text is not JSON (altered data).
	DiagnosisGarbled = Diagnosis(C.WERUN_DIAGNOSIS_GARBLED)
	// DiagnosisTruncated: the data decrypts to the beginning of a JSON document cut short
	// (encryptedData lost its end on the way: a column or URL length limit, a proxy).
	DiagnosisTruncated = Diagnosis(C.WERUN_DIAGNOSIS_TRUNCATED)
)

var diagnosisMessages [C.WERUN_DIAGNOSIS_TRUNCATED + 1]string

// String returns the library's explanation (werun_diagnosis_str).
func (d Diagnosis) String() string {
	if int(d) < len(diagnosisMessages) {
		return diagnosisMessages[d]
	}
	return C.GoString(C.werun_diagnosis_str(C.uint32_t(d)))
}
