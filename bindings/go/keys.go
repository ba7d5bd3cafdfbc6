package werun

/*
#include <werun.h>

// werun_decrypt_steps_with_keys takes the candidate keys as an array of werun_bytes, each
// holding a pointer to the key's text. Go may not pass a pointer to Go memory that holds Go
// pointers, so this helper takes the (at most four) keys as plain arguments and builds the
// array, and the options, on the C stack.
static werun_status werun_go_decrypt_steps_with_keys(
    const uint8_t *k0, size_t k0_len, const uint8_t *k1, size_t k1_len,
    const uint8_t *k2, size_t k2_len, const uint8_t *k3, size_t k3_len, size_t key_count,
    const uint8_t *iv, size_t iv_len,
    const uint8_t *encrypted_data, size_t encrypted_data_len,
    const uint8_t *appid, size_t appid_len, uint32_t flags, int64_t now, uint64_t max_age,
    uint8_t *scratch, size_t scratch_len,
    werun_step *out_steps, size_t steps_capacity, werun_summary *out_summary,
    size_t *out_key_index) {
  werun_bytes keys[WERUN_MAX_CANDIDATE_KEYS] = {
      {k0, k0_len}, {k1, k1_len}, {k2, k2_len}, {k3, k3_len}};
  werun_options options = {appid, appid_len, flags, now, max_age};
  return werun_decrypt_steps_with_keys(keys, key_count, iv, iv_len, encrypted_data,
                                       encrypted_data_len, &options, scratch, scratch_len,
                                       out_steps, steps_capacity, out_summary, out_key_index);
}
*/
import "C"

import (
	"sync"
	"unsafe"
)

// MaxCandidateKeys is the most session keys DecryptStepsWithKeys takes
// (WERUN_MAX_CANDIDATE_KEYS).
const MaxCandidateKeys = C.WERUN_MAX_CANDIDATE_KEYS

// The C helper above has one pair of arguments per candidate.
var _ [4]struct{} = [MaxCandidateKeys]struct{}{}

// keysFrame holds the per-call buffers of the candidate-key call, pooled like frame: a scratch
// twice frame's (the ciphertext, decoded once, and room to decrypt each candidate's copy), the
// summary and the key index. It holds no Go pointers, so it may be passed to C.
type keysFrame struct {
	scratch  [2 * scratchSize]byte
	summary  C.werun_summary
	keyIndex C.size_t
}

var keysFrames = sync.Pool{New: func() any { return new(keysFrame) }}

func init() {
	if C.werun_scratch_len_with_keys(pooledInputMax) > 2*scratchSize {
		panic("werun: werun_scratch_len_with_keys grew beyond the pooled scratch buffer")
	}
}

// DecryptStepsWithKeys is DecryptSteps with several candidate session keys, for a key rotated
// by a new wx.login: keep the previous key for a short while and pass both, in the order to
// try them. The data is decoded once; the first key under which it decrypts to WeRun data
// decides the outcome, and Data.KeyIndex is its index in sessionKeys.
//
// sessionKeys holds 1 to MaxCandidateKeys keys (StatusInvalidArgument otherwise). Every
// candidate must be base64 of 16 bytes: one that is not fails the call with
// StatusSessionKeyInvalid, even when another candidate is the right key (a corrupt stored key
// is a bug to see, not to skip). When no candidate decrypts the data: StatusDecryptFailed, as
// with one key. Errors after decryption (StatusAppIDMismatch, StatusWatermarkExpired,
// StatusCapacityExceeded) are those of the key that decrypted the data.
//
// Each key tried costs one more decryption and parse. Two keys cover a rotation; a wrong key is
// accepted only if it turns the data into valid padding and a WeRun document with the expected
// appid, which random bytes do with a probability far below 2^-100 per key.
func DecryptStepsWithKeys(sessionKeys []string, iv, encryptedData string, opts Options) (Data, error) {
	if len(sessionKeys) == 0 || len(sessionKeys) > MaxCandidateKeys {
		return Data{}, StatusInvalidArgument // before allocating the result
	}
	steps := make([]Step, DefaultCapacity)
	data, err := decryptStepsWithKeys(steps, sessionKeys, iv, encryptedData, opts, nil)
	if err != nil {
		return Data{}, err
	}
	return data, nil
}

// DecryptStepsWithKeysInto is DecryptStepsWithKeys writing into buf, as DecryptStepsInto does:
// on success Data.Steps is buf[:n]; on failure buf is zeroed. It allocates nothing.
func DecryptStepsWithKeysInto(buf []Step, sessionKeys []string, iv, encryptedData string, opts Options) (Data, error) {
	return decryptStepsWithKeys(buf, sessionKeys, iv, encryptedData, opts, nil)
}

// decryptStepsWithKeys is DecryptStepsWithKeysInto with an optional caller scratch buffer
// (nil: pooled).
func decryptStepsWithKeys(buf []Step, sessionKeys []string, iv, encryptedData string, opts Options, scratch []byte) (Data, error) {
	if len(sessionKeys) == 0 || len(sessionKeys) > MaxCandidateKeys {
		zeroSteps(buf)
		return Data{}, StatusInvalidArgument
	}
	o, err := cOptions(opts)
	if err != nil {
		zeroSteps(buf)
		return Data{}, err
	}
	var keys [MaxCandidateKeys]string
	copy(keys[:], sessionKeys)
	f := keysFrames.Get().(*keysFrame)
	defer keysFrames.Put(f)
	if scratch == nil {
		if len(encryptedData) <= pooledInputMax {
			scratch = f.scratch[:]
		} else {
			scratch = make([]byte, scratchLenWithKeys(len(encryptedData)))
		}
	}
	var stepsPtr *C.werun_step
	if len(buf) > 0 {
		stepsPtr = (*C.werun_step)(unsafe.Pointer(&buf[0]))
	}
	status := C.werun_go_decrypt_steps_with_keys(
		stringData(keys[0]), C.size_t(len(keys[0])), stringData(keys[1]), C.size_t(len(keys[1])),
		stringData(keys[2]), C.size_t(len(keys[2])), stringData(keys[3]), C.size_t(len(keys[3])),
		C.size_t(len(sessionKeys)),
		stringData(iv), C.size_t(len(iv)),
		stringData(encryptedData), C.size_t(len(encryptedData)),
		o.appid, o.appidLen, o.flags, o.now, o.maxAge,
		bytesData(scratch), C.size_t(len(scratch)),
		stepsPtr, C.size_t(len(buf)), &f.summary, &f.keyIndex)
	if status != C.WERUN_STATUS_OK {
		// As in decryptSteps: the library zeroes the entries on statuses 2..=10 (the vector
		// tests check it); the others leave them, and no partial result may be visible.
		if status < C.WERUN_STATUS_SESSION_KEY_INVALID || status > C.WERUN_STATUS_CAPACITY_EXCEEDED {
			zeroSteps(buf)
		}
		return Data{}, Status(status)
	}
	return Data{
		Steps:              buf[:f.summary.count],
		WatermarkTimestamp: int64(f.summary.watermark_timestamp),
		HasWatermark:       f.summary.has_watermark != 0,
		KeyIndex:           int(f.keyIndex),
	}, nil
}

// scratchLenWithKeys is werun_scratch_len_with_keys: the scratch DecryptStepsWithKeys needs
// for n bytes of base64.
func scratchLenWithKeys(n int) int { return int(C.werun_scratch_len_with_keys(C.size_t(n))) }
