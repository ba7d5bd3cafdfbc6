package werun

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func wrapErr(err error) error { return fmt.Errorf("decrypting werun data for user 42: %w", err) }

func sample(t testing.TB) *vector {
	t.Helper()
	return &loadVectors(t).Sample
}

func TestZeroOptionsDoNotSkipTheAppIDCheck(t *testing.T) {
	s := sample(t)
	_, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, Options{})
	if err != StatusAppIDMismatch {
		t.Fatalf("got %v, want StatusAppIDMismatch", err)
	}
}

func TestAppIDTogetherWithSkipIsInvalidArgument(t *testing.T) {
	s := sample(t)
	opts := Options{AppID: *s.AppID, SkipAppIDCheck: true}
	if _, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, opts); err != StatusInvalidArgument {
		t.Fatalf("DecryptSteps: got %v", err)
	}
	if _, err := OpenData(s.SessionKey, s.IV, s.EncryptedData, opts); err != StatusInvalidArgument {
		t.Fatalf("OpenData: got %v", err)
	}
}

func TestNegativeMaxAgeIsInvalidArgument(t *testing.T) {
	s := sample(t)
	buf := []Step{{Timestamp: 1, Step: 1}}
	_, err := DecryptStepsInto(buf, s.SessionKey, s.IV, s.EncryptedData, Options{AppID: *s.AppID, MaxAge: -time.Second})
	if err != StatusInvalidArgument || buf[0] != (Step{}) {
		t.Fatalf("got %v, buf %v", err, buf)
	}
}

// MaxAge without Now checks freshness against the clock: the sample's watermark is from 2024.
func TestMaxAgeWithoutNowUsesTheClock(t *testing.T) {
	s := sample(t)
	_, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, Options{AppID: *s.AppID, MaxAge: time.Hour})
	if err != StatusWatermarkExpired {
		t.Fatalf("got %v, want StatusWatermarkExpired", err)
	}
	old := time.Unix(1717201234, 0).Add(30 * time.Minute)
	if _, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, Options{AppID: *s.AppID, Now: old, MaxAge: time.Hour}); err != nil {
		t.Fatalf("fresh watermark refused: %v", err)
	}
}

// MaxAge counts whole seconds: 600.9 s allows a watermark exactly 600 s old, not 601.
func TestMaxAgeTruncatesToSeconds(t *testing.T) {
	s := sample(t)
	opts := Options{AppID: *s.AppID, Now: time.Unix(1717201234+601, 0), MaxAge: 600*time.Second + 900*time.Millisecond}
	if _, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, opts); err != StatusWatermarkExpired {
		t.Fatalf("got %v", err)
	}
}

// Inputs are passed to the library without a copy; it must never write to them.
func TestInputsAreNotModified(t *testing.T) {
	s := sample(t)
	key, iv, data := []byte(s.SessionKey), []byte(s.IV), []byte(s.EncryptedData)
	keyS, ivS, dataS := string(key), string(iv), string(data)
	if _, err := DecryptSteps(keyS, ivS, dataS, Options{AppID: *s.AppID}); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenData(keyS, ivS, dataS, Options{AppID: *s.AppID}); err != nil {
		t.Fatal(err)
	}
	if _, err := Diagnose(keyS, ivS, dataS, Options{}); err != nil {
		t.Fatal(err)
	}
	if keyS != string(key) || ivS != string(iv) || dataS != string(data) {
		t.Fatal("an input string changed")
	}
}

// Inputs longer than the pooled scratch buffer get a buffer of their own.
func TestLongInputUsesItsOwnScratch(t *testing.T) {
	s := sample(t)
	// Line-wrapping with CRLF (repaired) makes the text longer than the pooled limit.
	var b strings.Builder
	for i := 0; i < len(s.EncryptedData); i++ {
		b.WriteByte(s.EncryptedData[i])
		b.WriteString("\r\n")
	}
	long := b.String()
	if len(long) <= pooledInputMax {
		t.Fatalf("input of %d bytes is not long enough", len(long))
	}
	data, err := DecryptSteps(s.SessionKey, s.IV, long, Options{AppID: *s.AppID})
	if err != nil || len(data.Steps) != 31 {
		t.Fatalf("got %d steps, %v", len(data.Steps), err)
	}
	d, err := Diagnose(s.SessionKey, s.IV, long, Options{})
	if err != nil || d != DiagnosisWeRunData {
		t.Fatalf("Diagnose = %v, %v", d, err)
	}
}

func TestOpenDataWipesItsScratch(t *testing.T) {
	s := sample(t)
	scratch := make([]byte, 2048)
	got, err := openData(s.SessionKey, s.IV, s.EncryptedData, Options{AppID: *s.AppID}, scratch)
	if err != nil || !strings.HasPrefix(got.JSON, `{"stepInfoList":`) {
		t.Fatalf("got %q, %v", got.JSON, err)
	}
	if !bytes.Equal(scratch, make([]byte, len(scratch))) {
		t.Fatal("plaintext left in the scratch buffer")
	}
}

func TestDiagnoseNamesAStaleSessionKey(t *testing.T) {
	s := sample(t)
	stale := "3zccRCOsqvkKqgq97jWC6w=="
	_, err := DecryptSteps(stale, s.IV, s.EncryptedData, Options{AppID: *s.AppID})
	if !errors.Is(err, StatusDecryptFailed) {
		t.Fatalf("got %v", err)
	}
	d, err := Diagnose(stale, s.IV, s.EncryptedData, Options{AppID: *s.AppID})
	if err != nil || d != DiagnosisSessionKeyMismatch {
		t.Fatalf("Diagnose = %v, %v", d, err)
	}
}

func TestVersion(t *testing.T) {
	if v := Version(); v == "" || strings.Count(v, ".") != 2 {
		t.Fatalf("version %q", v)
	}
}

// callResult is everything a caller sees of one vector's calls.
type callResult struct {
	Data    Data
	Open    OpenDataResult
	Err     error
	Diag    Diagnosis
	DiagErr error
}

// callAll runs v through the API it names, and Diagnose.
func callAll(v *vector) callResult {
	var r callResult
	if v.API == "steps" {
		r.Data, r.Err = DecryptStepsInto(make([]Step, v.Capacity), v.SessionKey, v.IV, v.EncryptedData, v.options())
	} else {
		r.Open, r.Err = OpenData(v.SessionKey, v.IV, v.EncryptedData, v.options())
	}
	r.Diag, r.DiagErr = Diagnose(v.SessionKey, v.IV, v.EncryptedData, v.options())
	return r
}

// Many goroutines decrypt every vector at once and get exactly the results one goroutine got
// (steps, watermark, JSON, error, diagnosis; run with -race).
func TestConcurrentCalls(t *testing.T) {
	vf := loadVectors(t)
	var vectors []*vector
	for i := range vf.Vectors {
		if vf.Vectors[i].ScratchLen == nil { // sized scratch buffers are not the public API's
			vectors = append(vectors, &vf.Vectors[i])
		}
	}
	expected := make([]callResult, len(vectors))
	for i, v := range vectors {
		expected[i] = callAll(v)
		if want := v.wantErr(t); expected[i].Err != want {
			t.Fatalf("%s: single-threaded: got %v, want %v", v.ID, expected[i].Err, want)
		}
	}
	workers := 4 * runtime.GOMAXPROCS(0)
	rounds := 20
	if testing.Short() {
		rounds = 3
	}
	var wg sync.WaitGroup
	compared := make([]int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				for i := range vectors {
					k := (i + w) % len(vectors) // each goroutine from its own offset
					got := callAll(vectors[k])
					if !reflect.DeepEqual(got, expected[k]) {
						t.Errorf("%s: concurrent %+v, single-threaded %+v", vectors[k].ID, got, expected[k])
						return
					}
					compared[w]++
				}
			}
		}(w)
	}
	wg.Wait()
	for w, n := range compared {
		if n != rounds*len(vectors) {
			t.Fatalf("goroutine %d compared %d results, want %d", w, n, rounds*len(vectors))
		}
	}
}

// A call allocates only its result: nothing for DecryptStepsInto, the Steps for DecryptSteps.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	s := sample(t)
	opts := Options{AppID: *s.AppID}
	buf := make([]Step, DefaultCapacity)
	if n := testing.AllocsPerRun(100, func() {
		if _, err := DecryptStepsInto(buf, s.SessionKey, s.IV, s.EncryptedData, opts); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("DecryptStepsInto: %v allocations per call", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		if _, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, opts); err != nil {
			t.Fatal(err)
		}
	}); n != 1 {
		t.Errorf("DecryptSteps: %v allocations per call, want 1", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		if _, err := DecryptSteps("3zccRCOsqvkKqgq97jWC6w==", s.IV, s.EncryptedData, opts); err != StatusDecryptFailed {
			t.Fatal(err)
		}
	}); n > 1 {
		t.Errorf("a failing DecryptSteps: %v allocations per call", n)
	}
}
