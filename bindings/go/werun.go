// Package werun decrypts WeChat WeRun (wx.getWeRunData) step data and other WeChat "open data"
// with the werun library, through its C ABI (include/werun.h).
//
// The three inputs are the base64 strings exactly as the backend received them: sessionKey
// from code2Session, iv and encryptedData from the mini-program. The library decodes them
// (repairing the damage web frameworks do, unless Options.StrictBase64), decrypts
// AES-128-CBC, checks the PKCS#7 padding in constant time, parses the JSON and verifies the
// watermark's appid (and, if asked, its freshness).
//
// Every failure is a Status, comparable with errors.Is:
//
//	data, err := werun.DecryptSteps(sessionKey, iv, encryptedData, werun.Options{AppID: appID})
//	if errors.Is(err, werun.StatusDecryptFailed) {
//		// a stale session_key, the wrong iv or altered data: ask the user to log in again
//	}
//
// Return one generic error to the client: telling DecryptFailed's causes apart (Diagnose) is
// for server logs only, since CBC has no integrity check and the client chooses the IV.
//
// The package links an installed libwerun (the release archive, or `make install` from the
// werun repository), found with pkg-config: the shared library by default (pkg-config module
// werun, link_shared.go), the static one with the build tag werun_static (module werun-static,
// link_static.go). Set PKG_CONFIG_PATH to <prefix>/lib/pkgconfig for a prefix pkg-config does
// not search.
package werun

/*
#include <werun.h>

// The C ABI takes the options as a struct holding the appid pointer. Go may not pass a pointer
// to Go memory that itself holds a Go pointer (the cgo pointer rules), so these helpers take
// the appid as a plain argument and build werun_options on the C stack.

static werun_status werun_go_decrypt_steps(
    const uint8_t *session_key, size_t session_key_len,
    const uint8_t *iv, size_t iv_len,
    const uint8_t *encrypted_data, size_t encrypted_data_len,
    const uint8_t *appid, size_t appid_len, uint32_t flags, int64_t now, uint64_t max_age,
    uint8_t *scratch, size_t scratch_len,
    werun_step *out_steps, size_t steps_capacity, werun_summary *out_summary) {
  werun_options options = {appid, appid_len, flags, now, max_age};
  return werun_decrypt_steps(session_key, session_key_len, iv, iv_len, encrypted_data,
                             encrypted_data_len, &options, scratch, scratch_len, out_steps,
                             steps_capacity, out_summary);
}

static werun_status werun_go_open_data(
    const uint8_t *session_key, size_t session_key_len,
    const uint8_t *iv, size_t iv_len,
    const uint8_t *encrypted_data, size_t encrypted_data_len,
    const uint8_t *appid, size_t appid_len, uint32_t flags, int64_t now, uint64_t max_age,
    uint8_t *scratch, size_t scratch_len, werun_open_data_result *out_result) {
  werun_options options = {appid, appid_len, flags, now, max_age};
  return werun_open_data(session_key, session_key_len, iv, iv_len, encrypted_data,
                         encrypted_data_len, &options, scratch, scratch_len, out_result);
}
*/
import "C"

import (
	"strconv"
	"sync"
	"time"
	"unsafe"
)

// DefaultCapacity is the number of steps DecryptSteps can return: every real WeRun payload
// (31 entries) fits. DecryptStepsInto takes any capacity.
const DefaultCapacity = C.WERUN_DEFAULT_CAPACITY

// Step is one day of WeRun data. Its layout is the C ABI's werun_step, so the library writes
// the caller's []Step directly.
type Step struct {
	// Timestamp is the start of the day (00:00 UTC+8), Unix seconds.
	Timestamp int64
	// Step is the number of steps walked that day.
	Step uint32
}

// Compile-time checks that Step and werun_step have the same layout (the build fails on a
// platform where they differ, rather than corrupting memory). The size is checked as the
// array stride, which is what matters for a []Step and which go vet computes like the compiler.
var (
	_ [unsafe.Sizeof([2]Step{}) - unsafe.Sizeof([1]Step{})]byte = [C.sizeof_werun_step]byte{}
	_ [unsafe.Alignof(Step{})]byte                              = [unsafe.Alignof(C.werun_step{})]byte{}
	_ [unsafe.Offsetof(Step{}.Timestamp)]byte                   = [unsafe.Offsetof(C.werun_step{}.timestamp)]byte{}
	_ [unsafe.Offsetof(Step{}.Step)]byte                        = [unsafe.Offsetof(C.werun_step{}.step)]byte{}
	_ [unsafe.Sizeof(Step{}.Timestamp)]byte                     = [unsafe.Sizeof(C.werun_step{}.timestamp)]byte{}
	_ [unsafe.Sizeof(Step{}.Step)]byte                          = [unsafe.Sizeof(C.werun_step{}.step)]byte{}
	_ [C.sizeof_werun_status]byte                               = [4]byte{}
)

// Options say how a payload is checked. The zero value checks the appid against "" (and so
// fails with StatusAppIDMismatch): skipping the appid check must be written out.
type Options struct {
	// AppID is the backend's own appid (wx...), compared byte for byte with watermark.appid.
	// An empty AppID is compared too (it never matches); it does not skip the check.
	AppID string
	// SkipAppIDCheck skips the appid check; only then is a payload without a watermark
	// accepted. AppID must then be empty (StatusInvalidArgument otherwise).
	SkipAppIDCheck bool
	// Now and MaxAge ask for a freshness check: the watermark must be at most MaxAge old at
	// Now (StatusWatermarkExpired otherwise, also for a watermark in the future or missing).
	// The check runs when MaxAge > 0 or Now is set; a zero Now means time.Now(). MaxAge is
	// counted in whole seconds (the watermark's resolution); a negative MaxAge is
	// StatusInvalidArgument.
	Now    time.Time
	MaxAge time.Duration
	// StrictBase64 accepts RFC 4648 base64 only (standard alphabet, '=' padding, canonical)
	// instead of repairing spaces, line breaks, the URL-safe alphabet and missing padding.
	StrictBase64 bool
}

// Data is the result of DecryptSteps.
type Data struct {
	// Steps are the entries in document order (oldest first in real payloads).
	Steps []Step
	// WatermarkTimestamp is watermark.timestamp (Unix seconds); 0 without a watermark.
	WatermarkTimestamp int64
	// HasWatermark is false only for a payload without a watermark, which is accepted only
	// with SkipAppIDCheck.
	HasWatermark bool
	// KeyIndex is the index in sessionKeys of the key that decrypted the data
	// (DecryptStepsWithKeys); always 0 for DecryptSteps.
	KeyIndex int
}

// OpenDataResult is the result of OpenData.
type OpenDataResult struct {
	// JSON is the decrypted plaintext (phone number, user info, ...), watermark included.
	JSON string
	// WatermarkTimestamp is watermark.timestamp (Unix seconds); 0 without a watermark.
	WatermarkTimestamp int64
	// HasWatermark is false only for a payload without a watermark (SkipAppIDCheck).
	HasWatermark bool
}

// frame holds the per-call buffers the library writes, pooled so that a call allocates
// nothing but its result. It holds no Go pointers, so it may be passed to C.
type frame struct {
	scratch   [scratchSize]byte
	summary   C.werun_summary
	result    C.werun_open_data_result
	diagnosis C.uint32_t
}

const (
	// scratchSize fits a real 31-entry payload (about 1250 decoded bytes) with room to spare.
	scratchSize = 2048
	// pooledInputMax is the longest encryptedData whose scratch fits frame.scratch (checked
	// against werun_scratch_len in init); longer inputs get a scratch buffer of their own.
	pooledInputMax = scratchSize / 3 * 4
)

var frames = sync.Pool{New: func() any { return new(frame) }}

// emptyAppID gives an empty AppID a non-NULL pointer: the C ABI reads a NULL appid without
// WERUN_OPTION_SKIP_APPID_CHECK as a missing argument, and an empty AppID is a real (never
// matching) appid here.
var emptyAppID [1]byte

func init() {
	if got := C.werun_abi_version(); got != C.WERUN_ABI_VERSION {
		panic("werun: the loaded libwerun has ABI version " + strconv.FormatUint(uint64(got), 10) +
			" but the werun.h it was compiled with has " + strconv.Itoa(C.WERUN_ABI_VERSION) +
			": install one werun release (pkg-config --modversion werun), then go clean -cache and rebuild")
	}
	if C.werun_scratch_len(pooledInputMax) > scratchSize {
		panic("werun: werun_scratch_len grew beyond the pooled scratch buffer")
	}
	for code := range messages {
		messages[code] = C.GoString(C.werun_status_str(C.uint32_t(code)))
	}
	for code := range diagnosisMessages {
		diagnosisMessages[code] = C.GoString(C.werun_diagnosis_str(C.uint32_t(code)))
	}
}

// Version is the version of the linked library, such as "0.1.0".
func Version() string { return C.GoString(C.werun_version()) }

// DecryptSteps decrypts WeRun data (encryptedData from wx.getWeRunData) and returns its steps
// (at most DefaultCapacity of them; StatusCapacityExceeded beyond). It allocates only the
// returned Steps.
func DecryptSteps(sessionKey, iv, encryptedData string, opts Options) (Data, error) {
	steps := make([]Step, DefaultCapacity)
	data, err := decryptSteps(steps, sessionKey, iv, encryptedData, opts, nil)
	if err != nil {
		return Data{}, err
	}
	return data, nil
}

// DecryptStepsInto is DecryptSteps writing into buf, whose length is the capacity
// (StatusCapacityExceeded when the payload has more entries). On success Data.Steps is
// buf[:n]; on failure buf is zeroed. It allocates nothing.
func DecryptStepsInto(buf []Step, sessionKey, iv, encryptedData string, opts Options) (Data, error) {
	return decryptSteps(buf, sessionKey, iv, encryptedData, opts, nil)
}

// decryptSteps is DecryptStepsInto with an optional caller scratch buffer (nil: pooled).
func decryptSteps(buf []Step, sessionKey, iv, encryptedData string, opts Options, scratch []byte) (Data, error) {
	o, err := cOptions(opts)
	if err != nil {
		zeroSteps(buf)
		return Data{}, err
	}
	f := frames.Get().(*frame)
	defer frames.Put(f)
	if scratch == nil {
		scratch = scratchFor(f, len(encryptedData))
	}
	var stepsPtr *C.werun_step
	if len(buf) > 0 {
		stepsPtr = (*C.werun_step)(unsafe.Pointer(&buf[0]))
	}
	status := C.werun_go_decrypt_steps(
		stringData(sessionKey), C.size_t(len(sessionKey)),
		stringData(iv), C.size_t(len(iv)),
		stringData(encryptedData), C.size_t(len(encryptedData)),
		o.appid, o.appidLen, o.flags, o.now, o.maxAge,
		bytesData(scratch), C.size_t(len(scratch)),
		stepsPtr, C.size_t(len(buf)), &f.summary)
	if status != C.WERUN_STATUS_OK {
		// The library zeroes every entry itself on statuses 2..=10 (the vector tests check
		// that, so it is not done again here); the argument errors leave the array as it
		// was, and the contract here is that no partial result is ever visible.
		if status < C.WERUN_STATUS_SESSION_KEY_INVALID || status > C.WERUN_STATUS_CAPACITY_EXCEEDED {
			zeroSteps(buf)
		}
		return Data{}, Status(status)
	}
	return Data{
		Steps:              buf[:f.summary.count],
		WatermarkTimestamp: int64(f.summary.watermark_timestamp),
		HasWatermark:       f.summary.has_watermark != 0,
	}, nil
}

// OpenData decrypts any open data (phone number, user info, share info, WeRun), verifies its
// watermark as DecryptSteps does, and returns the plaintext JSON for the caller to parse.
// The library's buffer is wiped; the returned string is the only copy of the plaintext.
func OpenData(sessionKey, iv, encryptedData string, opts Options) (OpenDataResult, error) {
	return openData(sessionKey, iv, encryptedData, opts, nil)
}

func openData(sessionKey, iv, encryptedData string, opts Options, scratch []byte) (OpenDataResult, error) {
	o, err := cOptions(opts)
	if err != nil {
		return OpenDataResult{}, err
	}
	f := frames.Get().(*frame)
	defer frames.Put(f)
	if scratch == nil {
		scratch = scratchFor(f, len(encryptedData))
	}
	status := C.werun_go_open_data(
		stringData(sessionKey), C.size_t(len(sessionKey)),
		stringData(iv), C.size_t(len(iv)),
		stringData(encryptedData), C.size_t(len(encryptedData)),
		o.appid, o.appidLen, o.flags, o.now, o.maxAge,
		bytesData(scratch), C.size_t(len(scratch)), &f.result)
	if status != C.WERUN_STATUS_OK {
		return OpenDataResult{}, Status(status)
	}
	plaintext := scratch[:f.result.json_len]
	result := OpenDataResult{
		JSON:               string(plaintext),
		WatermarkTimestamp: int64(f.result.watermark_timestamp),
		HasWatermark:       f.result.has_watermark != 0,
	}
	wipe(plaintext)
	return result, nil
}

// Diagnose names the likely cause of a StatusDecryptFailed (a stale session_key, the wrong
// iv, not WeRun data, garbled data) for server logs. Never return it to a client: telling
// these causes apart is a padding oracle that lets a client forge step counts.
//
// Only opts.StrictBase64 is used (pass the Options the failed call used); the appid and
// freshness are not checked. It fails only for inputs that cannot be decrypted at all
// (base64, length).
func Diagnose(sessionKey, iv, encryptedData string, opts Options) (Diagnosis, error) {
	return diagnose(sessionKey, iv, encryptedData, opts, nil)
}

func diagnose(sessionKey, iv, encryptedData string, opts Options, scratch []byte) (Diagnosis, error) {
	var flags C.uint32_t
	if opts.StrictBase64 {
		flags = C.WERUN_OPTION_STRICT_BASE64
	}
	f := frames.Get().(*frame)
	defer frames.Put(f)
	if scratch == nil {
		scratch = scratchFor(f, len(encryptedData))
	}
	status := C.werun_diagnose(
		stringData(sessionKey), C.size_t(len(sessionKey)),
		stringData(iv), C.size_t(len(iv)),
		stringData(encryptedData), C.size_t(len(encryptedData)),
		flags, bytesData(scratch), C.size_t(len(scratch)), &f.diagnosis)
	if status != C.WERUN_STATUS_OK {
		return 0, Status(status)
	}
	return Diagnosis(f.diagnosis), nil
}

// cOpts are Options in the C ABI's terms.
type cOpts struct {
	appid    *C.uint8_t
	appidLen C.size_t
	flags    C.uint32_t
	now      C.int64_t
	maxAge   C.uint64_t
}

func cOptions(opts Options) (cOpts, error) {
	o := cOpts{appid: stringData(opts.AppID), appidLen: C.size_t(len(opts.AppID))}
	if opts.SkipAppIDCheck {
		o.flags |= C.WERUN_OPTION_SKIP_APPID_CHECK
	} else if o.appid == nil {
		o.appid = (*C.uint8_t)(unsafe.Pointer(&emptyAppID[0]))
	}
	if opts.StrictBase64 {
		o.flags |= C.WERUN_OPTION_STRICT_BASE64
	}
	if opts.MaxAge < 0 {
		return cOpts{}, StatusInvalidArgument
	}
	if opts.MaxAge > 0 || !opts.Now.IsZero() {
		now := opts.Now
		if now.IsZero() {
			now = time.Now()
		}
		o.flags |= C.WERUN_OPTION_CHECK_FRESHNESS
		o.now = C.int64_t(now.Unix())
		o.maxAge = C.uint64_t(opts.MaxAge / time.Second)
	}
	return o, nil
}

// scratchFor returns the pooled scratch buffer when it is large enough for n bytes of base64,
// and a new one otherwise.
func scratchFor(f *frame, n int) []byte {
	if n <= pooledInputMax {
		return f.scratch[:]
	}
	return make([]byte, scratchLen(n))
}

// scratchLen is werun_scratch_len: the scratch size n bytes of base64 can need.
func scratchLen(n int) int { return int(C.werun_scratch_len(C.size_t(n))) }

// stringData points at s's bytes, or is nil for an empty s. The library only reads them
// (const parameters), and they hold no Go pointers, so the cgo pointer rules allow passing
// them. (Go 1.19 has no unsafe.StringData; a string's header starts with its data pointer.)
func stringData(s string) *C.uint8_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.uint8_t)(*(*unsafe.Pointer)(unsafe.Pointer(&s)))
}

func bytesData(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

func zeroSteps(buf []Step) {
	for i := range buf {
		buf[i] = Step{}
	}
}

// wipe zeroes plaintext that the library left in a scratch buffer.
func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
