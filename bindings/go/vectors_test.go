package werun

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// vectorFile is the shared test-vector file every language reads.
var vectorFile = filepath.Join("..", "..", "tests", "vectors", "werun.json")

type vectorFileContents struct {
	Statuses  []namedCode `json:"statuses"`
	Diagnoses []namedCode `json:"diagnoses"`
	Sample    vector      `json:"sample"`
	Vectors   []vector    `json:"vectors"`
}

type namedCode struct {
	Code uint32 `json:"code"`
	Name string `json:"name"`
}

type vector struct {
	ID            string  `json:"id"`
	Description   string  `json:"description"`
	API           string  `json:"api"`
	SessionKey    string  `json:"session_key"`
	IV            string  `json:"iv"`
	EncryptedData string  `json:"encrypted_data"`
	AppID         *string `json:"appid"`
	Now           *int64  `json:"now"`
	MaxAge        *uint64 `json:"max_age"`
	StrictBase64  bool    `json:"strict_base64"`
	Capacity      int     `json:"capacity"`
	ScratchLen    *int    `json:"scratch_len"`
	Expect        struct {
		Status             string     `json:"status"`
		Steps              [][2]int64 `json:"steps"`
		WatermarkTimestamp *int64     `json:"watermark_timestamp"`
		JSON               *string    `json:"json"`
		Diagnosis          *string    `json:"diagnosis"`
	} `json:"expect"`
}

// statusByName maps the vector file's status names to this package's constants (nil: OK).
var statusByName = map[string]error{
	"OK":                     nil,
	"NULL_ARGUMENT":          StatusNullArgument,
	"SESSION_KEY_INVALID":    StatusSessionKeyInvalid,
	"IV_INVALID":             StatusIVInvalid,
	"ENCRYPTED_DATA_INVALID": StatusEncryptedDataInvalid,
	"CIPHERTEXT_LENGTH":      StatusCiphertextLength,
	"BUFFER_TOO_SMALL":       StatusBufferTooSmall,
	"DECRYPT_FAILED":         StatusDecryptFailed,
	"APPID_MISMATCH":         StatusAppIDMismatch,
	"WATERMARK_EXPIRED":      StatusWatermarkExpired,
	"CAPACITY_EXCEEDED":      StatusCapacityExceeded,
	"INTERNAL":               StatusInternal,
	"INVALID_ARGUMENT":       StatusInvalidArgument,
}

var diagnosisByName = map[string]Diagnosis{
	"WERUN_DATA":           DiagnosisWeRunData,
	"NOT_WERUN_DATA":       DiagnosisNotWeRunData,
	"SESSION_KEY_MISMATCH": DiagnosisSessionKeyMismatch,
	"IV_MISMATCH":          DiagnosisIVMismatch,
	"GARBLED":              DiagnosisGarbled,
	"TRUNCATED":            DiagnosisTruncated,
}

func loadVectors(tb testing.TB) *vectorFileContents {
	tb.Helper()
	raw, err := os.ReadFile(vectorFile)
	if err != nil {
		tb.Fatalf("reading the shared vectors: %v", err)
	}
	var v vectorFileContents
	if err := json.Unmarshal(raw, &v); err != nil {
		tb.Fatalf("parsing %s: %v", vectorFile, err)
	}
	if len(v.Vectors) == 0 {
		tb.Fatalf("%s has no vectors", vectorFile)
	}
	return &v
}

// options turns a vector's checks into Options.
func (v *vector) options() Options {
	var o Options
	if v.AppID == nil {
		o.SkipAppIDCheck = true
	} else {
		o.AppID = *v.AppID
	}
	if v.Now != nil {
		o.Now = time.Unix(*v.Now, 0)
		if *v.MaxAge > uint64(math.MaxInt64/int64(time.Second)) {
			o.MaxAge = math.MaxInt64 // the longest Duration, ~292 years
		} else {
			o.MaxAge = time.Duration(*v.MaxAge) * time.Second
		}
	}
	o.StrictBase64 = v.StrictBase64
	return o
}

func (v *vector) scratch() []byte {
	if v.ScratchLen == nil {
		return nil
	}
	return make([]byte, *v.ScratchLen)
}

// explicitScratch is a zeroed scratch buffer of the vector's size, or of werun_scratch_len's
// when the vector does not size it: unlike the pooled one, the test can inspect it afterwards.
func (v *vector) explicitScratch() []byte {
	if v.ScratchLen != nil {
		return make([]byte, *v.ScratchLen)
	}
	return make([]byte, scratchLen(len(v.EncryptedData)))
}

// stepPattern fills step buffers before a call, so that "zeroed" is the call's doing.
var stepPattern = Step{Timestamp: 0x5A5A5A5A5A5A5A5A, Step: 0xA5A5A5A5}

func (v *vector) wantErr(t *testing.T) error {
	t.Helper()
	want, ok := statusByName[v.Expect.Status]
	if !ok {
		t.Fatalf("unknown status %q in the vector file", v.Expect.Status)
	}
	return want
}

func (v *vector) wantSteps() []Step {
	steps := make([]Step, len(v.Expect.Steps))
	for i, s := range v.Expect.Steps {
		steps[i] = Step{Timestamp: s[0], Step: uint32(s[1])}
	}
	return steps
}

func (v *vector) wantWatermark() (int64, bool) {
	if v.Expect.WatermarkTimestamp == nil {
		return 0, false
	}
	return *v.Expect.WatermarkTimestamp, true
}

// checkVector runs one vector through the API it names and checks every output.
func checkVector(t *testing.T, v *vector) {
	t.Helper()
	want := v.wantErr(t)
	wantTS, wantWM := v.wantWatermark()
	opts := v.options()
	switch v.API {
	case "steps":
		// One entry more than the capacity, which nothing may write.
		all := make([]Step, v.Capacity+1)
		for i := range all {
			all[i] = stepPattern // must be overwritten or zeroed
		}
		buf := all[:v.Capacity]
		data, err := decryptSteps(buf, v.SessionKey, v.IV, v.EncryptedData, opts, v.scratch())
		if all[v.Capacity] != stepPattern {
			t.Fatalf("%s: wrote past the capacity", v.ID)
		}
		if err != want {
			t.Fatalf("%s: got error %v, want %v", v.ID, err, want)
		}
		if err != nil {
			if !reflect.DeepEqual(data, Data{}) {
				t.Fatalf("%s: partial result %+v on error", v.ID, data)
			}
			for i, s := range buf {
				if s != (Step{}) {
					t.Fatalf("%s: buf[%d] = %+v not zeroed on error", v.ID, i, s)
				}
			}
			break
		}
		if got, wantSteps := data.Steps, v.wantSteps(); len(got) != len(wantSteps) || (len(got) > 0 && !reflect.DeepEqual(got, wantSteps)) {
			t.Fatalf("%s: steps %v, want %v", v.ID, got, wantSteps)
		}
		if data.WatermarkTimestamp != wantTS || data.HasWatermark != wantWM {
			t.Fatalf("%s: watermark (%d, %v), want (%d, %v)", v.ID, data.WatermarkTimestamp, data.HasWatermark, wantTS, wantWM)
		}
		// The public API (pooled scratch) agrees whenever the vector does not size the scratch.
		if v.ScratchLen == nil {
			into, err := DecryptStepsInto(make([]Step, v.Capacity), v.SessionKey, v.IV, v.EncryptedData, opts)
			if err != nil || !reflect.DeepEqual(into, data) {
				t.Fatalf("%s: DecryptStepsInto = %+v, %v", v.ID, into, err)
			}
			if v.Capacity == DefaultCapacity {
				got, err := DecryptSteps(v.SessionKey, v.IV, v.EncryptedData, opts)
				if err != nil || !reflect.DeepEqual(got, data) {
					t.Fatalf("%s: DecryptSteps = %+v, %v", v.ID, got, err)
				}
			}
		}
	case "open_data":
		scratch := v.explicitScratch()
		got, err := openData(v.SessionKey, v.IV, v.EncryptedData, opts, scratch)
		if err != want {
			t.Fatalf("%s: got error %v, want %v", v.ID, err, want)
		}
		for i, b := range scratch {
			if b != 0 {
				t.Fatalf("%s: scratch[%d] holds plaintext after the call", v.ID, i)
			}
		}
		if err != nil {
			if got != (OpenDataResult{}) {
				t.Fatalf("%s: partial result %+v on error", v.ID, got)
			}
			break
		}
		if v.Expect.JSON == nil || got.JSON != *v.Expect.JSON {
			t.Fatalf("%s: JSON %q, want %v", v.ID, got.JSON, v.Expect.JSON)
		}
		if got.WatermarkTimestamp != wantTS || got.HasWatermark != wantWM {
			t.Fatalf("%s: watermark (%d, %v), want (%d, %v)", v.ID, got.WatermarkTimestamp, got.HasWatermark, wantTS, wantWM)
		}
		if v.ScratchLen == nil {
			public, err := OpenData(v.SessionKey, v.IV, v.EncryptedData, opts)
			if err != nil || public != got {
				t.Fatalf("%s: OpenData = %+v, %v", v.ID, public, err)
			}
		}
	default:
		t.Fatalf("%s: unknown api %q", v.ID, v.API)
	}

	// Diagnose: the cause, or (null) the same pre-decryption status.
	d, err := diagnose(v.SessionKey, v.IV, v.EncryptedData, opts, v.scratch())
	if v.Expect.Diagnosis == nil {
		if err == nil || err != want {
			t.Fatalf("%s: Diagnose = %v, %v; want error %v", v.ID, d, err, want)
		}
		return
	}
	wantD, ok := diagnosisByName[*v.Expect.Diagnosis]
	if !ok {
		t.Fatalf("%s: unknown diagnosis %q", v.ID, *v.Expect.Diagnosis)
	}
	if err != nil || d != wantD {
		t.Fatalf("%s: Diagnose = %v (%d), %v; want %d", v.ID, d, d, err, wantD)
	}
}

func TestVectors(t *testing.T) {
	vf := loadVectors(t)
	for i := range vf.Vectors {
		v := &vf.Vectors[i]
		t.Run(v.ID, func(t *testing.T) {
			t.Parallel()
			checkVector(t, v)
		})
	}
}

// Every vector that decrypts (WeRun data is open data too) through OpenData with a scratch
// buffer the test can read afterwards: the JSON comes back and the buffer holds no plaintext.
func TestOpenDataLeavesNoPlaintextInItsScratch(t *testing.T) {
	vf := loadVectors(t)
	checked := 0
	for i := range vf.Vectors {
		v := &vf.Vectors[i]
		if v.Expect.Status != "OK" {
			continue
		}
		scratch := v.explicitScratch()
		got, err := openData(v.SessionKey, v.IV, v.EncryptedData, v.options(), scratch)
		if err != nil || !strings.HasPrefix(strings.TrimSpace(got.JSON), "{") {
			t.Fatalf("%s: OpenData = %q, %v", v.ID, got.JSON, err)
		}
		if v.Expect.JSON != nil && got.JSON != *v.Expect.JSON {
			t.Fatalf("%s: JSON %q, want %q", v.ID, got.JSON, *v.Expect.JSON)
		}
		for j, b := range scratch {
			if b != 0 {
				t.Fatalf("%s: scratch[%d] holds plaintext after the call", v.ID, j)
			}
		}
		checked++
	}
	if checked < 25 {
		t.Fatalf("only %d vectors decrypted through OpenData", checked)
	}
}

func TestSampleIs31Entries(t *testing.T) {
	vf := loadVectors(t)
	s := &vf.Sample
	data, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, Options{AppID: *s.AppID})
	if err != nil {
		t.Fatal(err)
	}
	if len(data.Steps) != 31 || !reflect.DeepEqual(data.Steps, s.wantSteps()) {
		t.Fatalf("steps %v", data.Steps)
	}
}

// Every status in the vector file is a constant here with the same code, and every vector's
// status is one of them.
func TestStatusCodesMatchTheVectorFile(t *testing.T) {
	vf := loadVectors(t)
	seen := map[string]bool{}
	for _, s := range vf.Statuses {
		seen[s.Name] = true
		err, ok := statusByName[s.Name]
		if !ok {
			t.Fatalf("status %s (%d) has no Go constant", s.Name, s.Code)
		}
		if s.Name == "OK" {
			if s.Code != 0 {
				t.Fatalf("OK is %d", s.Code)
			}
			continue
		}
		if got := uint32(err.(Status)); got != s.Code {
			t.Fatalf("%s: Go constant %d, vector file %d", s.Name, got, s.Code)
		}
	}
	for name := range statusByName {
		if !seen[name] && name != "INVALID_ARGUMENT" { // not in the vector file's list (C ABI only)
			t.Errorf("status %s is not in the vector file", name)
		}
	}
	for _, d := range vf.Diagnoses {
		if got, ok := diagnosisByName[d.Name]; !ok || uint32(got) != d.Code {
			t.Fatalf("diagnosis %s (%d): Go %d", d.Name, d.Code, got)
		}
	}
}

// Every Status has the library's own message, distinct from the others.
func TestStatusMessagesComeFromTheLibrary(t *testing.T) {
	seen := map[string]Status{}
	for code := Status(1); code <= StatusInvalidArgument; code++ {
		msg := code.Error()
		if msg == "" || msg == "unknown werun status" {
			t.Fatalf("status %d has message %q", code, msg)
		}
		if other, dup := seen[msg]; dup {
			t.Fatalf("statuses %d and %d share the message %q", other, code, msg)
		}
		seen[msg] = code
	}
	if got := Status(1000).Error(); got != "unknown werun status" {
		t.Fatalf("unknown status message %q", got)
	}
	if got := StatusDecryptFailed.Error(); got == "" {
		t.Fatal("empty DecryptFailed message")
	}
	for d := DiagnosisWeRunData; d <= DiagnosisTruncated; d++ {
		if s := d.String(); s == "" || s == "unknown werun diagnosis" {
			t.Fatalf("diagnosis %d has message %q", d, s)
		}
	}
	if got := Diagnosis(99).String(); got != "unknown werun diagnosis" {
		t.Fatalf("unknown diagnosis message %q", got)
	}
}

func TestErrorsIsAndAs(t *testing.T) {
	vf := loadVectors(t)
	s := &vf.Sample
	_, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, Options{AppID: "wx0000000000000000"})
	wrapped := wrapErr(err)
	if !errors.Is(err, StatusAppIDMismatch) || !errors.Is(wrapped, StatusAppIDMismatch) {
		t.Fatalf("errors.Is fails for %v", err)
	}
	if errors.Is(wrapped, StatusDecryptFailed) {
		t.Fatal("errors.Is matches another status")
	}
	var status Status
	if !errors.As(wrapped, &status) || status != StatusAppIDMismatch {
		t.Fatalf("errors.As: %v", status)
	}
	// Success is a nil error interface, not a typed nil.
	_, err = DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, Options{AppID: *s.AppID})
	if err != nil {
		t.Fatalf("success returned %#v", err)
	}
}
