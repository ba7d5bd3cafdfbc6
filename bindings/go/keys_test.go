package werun

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// keysVector is an entry of the vector file's keys_vectors: a werun_decrypt_steps_with_keys
// call (ample scratch, capacity DefaultCapacity).
type keysVector struct {
	ID            string   `json:"id"`
	Description   string   `json:"description"`
	SessionKeys   []string `json:"session_keys"`
	IV            string   `json:"iv"`
	EncryptedData string   `json:"encrypted_data"`
	AppID         string   `json:"appid"`
	Expect        struct {
		Status             string     `json:"status"`
		KeyIndex           *int       `json:"key_index"`
		Steps              [][2]int64 `json:"steps"`
		WatermarkTimestamp *int64     `json:"watermark_timestamp"`
	} `json:"expect"`
}

func loadKeysVectors(tb testing.TB) []keysVector {
	tb.Helper()
	var vf struct {
		KeysVectors []keysVector `json:"keys_vectors"`
	}
	raw, err := os.ReadFile(vectorFile)
	if err != nil {
		tb.Fatalf("reading the shared vectors: %v", err)
	}
	if err := json.Unmarshal(raw, &vf); err != nil {
		tb.Fatalf("parsing %s: %v", vectorFile, err)
	}
	if len(vf.KeysVectors) == 0 {
		tb.Fatalf("%s has no keys_vectors", vectorFile)
	}
	return vf.KeysVectors
}

func (v *keysVector) wantSteps() []Step {
	steps := make([]Step, len(v.Expect.Steps))
	for i, s := range v.Expect.Steps {
		steps[i] = Step{Timestamp: s[0], Step: uint32(s[1])}
	}
	return steps
}

// staleKeys are valid keys that are not the sample's.
var staleKeys = []string{"i0vns4pveFuOIEpP3pxrbQ==", "mTQX7K9E2qAKnqRQabSX5Q==", "PvPpyd5Dt7ETDJoOQcF2Xg=="}

// checkKeysVector runs v through decryptStepsWithKeys with a scratch buffer the test reads
// afterwards and a step array pre-filled with stepPattern, one entry longer than the capacity,
// then through the public functions.
func checkKeysVector(t *testing.T, v *keysVector) {
	t.Helper()
	want, ok := statusByName[v.Expect.Status]
	if !ok {
		t.Fatalf("%s: unknown status %q", v.ID, v.Expect.Status)
	}
	opts := Options{AppID: v.AppID}
	all := make([]Step, DefaultCapacity+1)
	for i := range all {
		all[i] = stepPattern
	}
	buf := all[:DefaultCapacity]
	scratch := make([]byte, scratchLenWithKeys(len(v.EncryptedData)))
	for i := range scratch {
		scratch[i] = 0xA5
	}
	data, err := decryptStepsWithKeys(buf, v.SessionKeys, v.IV, v.EncryptedData, opts, scratch)
	if all[DefaultCapacity] != stepPattern {
		t.Fatalf("%s: wrote past the capacity", v.ID)
	}
	// The scratch holds nothing the library wrote: wiped, or untouched when the call failed
	// before decoding the data (an invalid candidate key is found first).
	if !bytes.Equal(scratch, make([]byte, len(scratch))) &&
		!(want == StatusSessionKeyInvalid && bytes.Equal(scratch, bytes.Repeat([]byte{0xA5}, len(scratch)))) {
		t.Fatalf("%s: scratch not wiped", v.ID)
	}
	if err != want {
		t.Fatalf("%s: got error %v, want %v", v.ID, err, want)
	}
	if err != nil {
		if v.Expect.KeyIndex != nil || len(v.Expect.Steps) != 0 {
			t.Fatalf("%s: the vector expects a result with status %s", v.ID, v.Expect.Status)
		}
		if !reflect.DeepEqual(data, Data{}) {
			t.Fatalf("%s: partial result %+v on error", v.ID, data)
		}
		for i, s := range buf {
			if s != (Step{}) {
				t.Fatalf("%s: buf[%d] = %+v not zeroed on error", v.ID, i, s)
			}
		}
		if _, err := DecryptStepsWithKeys(v.SessionKeys, v.IV, v.EncryptedData, opts); err != want {
			t.Fatalf("%s: DecryptStepsWithKeys error %v, want %v", v.ID, err, want)
		}
		return
	}
	if v.Expect.KeyIndex == nil || data.KeyIndex != *v.Expect.KeyIndex {
		t.Fatalf("%s: key index %d, want %v", v.ID, data.KeyIndex, v.Expect.KeyIndex)
	}
	if !reflect.DeepEqual(data.Steps, v.wantSteps()) {
		t.Fatalf("%s: steps %v, want %v", v.ID, data.Steps, v.wantSteps())
	}
	if v.Expect.WatermarkTimestamp == nil || !data.HasWatermark || data.WatermarkTimestamp != *v.Expect.WatermarkTimestamp {
		t.Fatalf("%s: watermark (%d, %v), want %v", v.ID, data.WatermarkTimestamp, data.HasWatermark, v.Expect.WatermarkTimestamp)
	}
	// The public functions (pooled scratch) agree.
	got, err := DecryptStepsWithKeys(v.SessionKeys, v.IV, v.EncryptedData, opts)
	if err != nil || !reflect.DeepEqual(got, data) {
		t.Fatalf("%s: DecryptStepsWithKeys = %+v, %v", v.ID, got, err)
	}
	into, err := DecryptStepsWithKeysInto(make([]Step, DefaultCapacity), v.SessionKeys, v.IV, v.EncryptedData, opts)
	if err != nil || !reflect.DeepEqual(into, data) {
		t.Fatalf("%s: DecryptStepsWithKeysInto = %+v, %v", v.ID, into, err)
	}
	// The key that worked, alone: the same data, KeyIndex 0.
	alone, err := DecryptSteps(v.SessionKeys[data.KeyIndex], v.IV, v.EncryptedData, opts)
	data.KeyIndex = 0
	if err != nil || !reflect.DeepEqual(alone, data) {
		t.Fatalf("%s: DecryptSteps with the key that worked = %+v, %v", v.ID, alone, err)
	}
}

func TestVectorsWithKeys(t *testing.T) {
	vectors := loadKeysVectors(t)
	indices := map[int]bool{}
	statuses := map[string]bool{}
	for i := range vectors {
		v := &vectors[i]
		statuses[v.Expect.Status] = true
		if v.Expect.KeyIndex != nil {
			indices[*v.Expect.KeyIndex] = true
		}
		t.Run(v.ID, func(t *testing.T) {
			t.Parallel()
			checkKeysVector(t, v)
		})
	}
	// The right key first, second and last of MaxCandidateKeys; none right; an invalid one.
	if !indices[0] || !indices[1] || !indices[MaxCandidateKeys-1] {
		t.Errorf("keys_vectors cover the key indices %v", indices)
	}
	if !statuses["DECRYPT_FAILED"] || !statuses["SESSION_KEY_INVALID"] {
		t.Errorf("keys_vectors cover the statuses %v", statuses)
	}
}

func TestDecryptStepsWithKeysCountIsChecked(t *testing.T) {
	s := sample(t)
	opts := Options{AppID: *s.AppID}
	for _, keys := range [][]string{nil, {}, {s.SessionKey, s.SessionKey, s.SessionKey, s.SessionKey, s.SessionKey}} {
		if _, err := DecryptStepsWithKeys(keys, s.IV, s.EncryptedData, opts); err != StatusInvalidArgument {
			t.Fatalf("%d keys: got %v, want StatusInvalidArgument", len(keys), err)
		}
		buf := []Step{stepPattern}
		if _, err := DecryptStepsWithKeysInto(buf, keys, s.IV, s.EncryptedData, opts); err != StatusInvalidArgument || buf[0] != (Step{}) {
			t.Fatalf("%d keys: Into got %v, buf %v", len(keys), err, buf)
		}
	}
	four := []string{staleKeys[0], staleKeys[1], staleKeys[2], s.SessionKey}
	if data, err := DecryptStepsWithKeys(four, s.IV, s.EncryptedData, opts); err != nil || data.KeyIndex != 3 {
		t.Fatalf("four keys: %v, %v", data.KeyIndex, err)
	}
}

// The right key at every position of every count, and the caller's slice left as it was.
func TestDecryptStepsWithKeysEveryPosition(t *testing.T) {
	s := sample(t)
	opts := Options{AppID: *s.AppID}
	for n := 1; n <= MaxCandidateKeys; n++ {
		for right := 0; right < n; right++ {
			keys := append([]string(nil), staleKeys[:n-1]...)
			keys = append(keys[:right], append([]string{s.SessionKey}, keys[right:]...)...)
			before := append([]string(nil), keys...)
			data, err := DecryptStepsWithKeys(keys, s.IV, s.EncryptedData, opts)
			if err != nil || data.KeyIndex != right || !reflect.DeepEqual(data.Steps, s.wantSteps()) {
				t.Fatalf("%d keys, right at %d: index %d, %v", n, right, data.KeyIndex, err)
			}
			if !reflect.DeepEqual(keys, before) {
				t.Fatal("the keys slice changed")
			}
		}
	}
}

func TestDecryptStepsWithKeysOptions(t *testing.T) {
	s := sample(t)
	keys := []string{staleKeys[0], s.SessionKey}
	wm := time.Unix(1717201234, 0)
	cases := []struct {
		name string
		data string
		opts Options
		want error
	}{
		{"skip appid", s.EncryptedData, Options{SkipAppIDCheck: true}, nil},
		{"appid and skip", s.EncryptedData, Options{AppID: *s.AppID, SkipAppIDCheck: true}, StatusInvalidArgument},
		{"negative MaxAge", s.EncryptedData, Options{AppID: *s.AppID, MaxAge: -time.Second}, StatusInvalidArgument},
		{"fresh", s.EncryptedData, Options{AppID: *s.AppID, Now: wm, MaxAge: time.Second}, nil},
		{"expired", s.EncryptedData, Options{AppID: *s.AppID, Now: wm.Add(2 * time.Second), MaxAge: time.Second}, StatusWatermarkExpired},
		{"repaired", strings.ReplaceAll(s.EncryptedData, "+", " "), Options{AppID: *s.AppID}, nil},
		{"strict", strings.ReplaceAll(s.EncryptedData, "+", " "), Options{AppID: *s.AppID, StrictBase64: true}, StatusEncryptedDataInvalid},
		{"zero options", s.EncryptedData, Options{}, StatusAppIDMismatch},
	}
	for _, c := range cases {
		buf := []Step{stepPattern}
		data, err := DecryptStepsWithKeysInto(make([]Step, DefaultCapacity), keys, s.IV, c.data, c.opts)
		if err != c.want || (err == nil && data.KeyIndex != 1) {
			t.Fatalf("%s: index %d, %v; want %v", c.name, data.KeyIndex, err, c.want)
		}
		if c.want != nil {
			if _, err := DecryptStepsWithKeysInto(buf, keys, s.IV, c.data, c.opts); err != c.want || buf[0] != (Step{}) {
				t.Fatalf("%s: buf %v not zeroed (%v)", c.name, buf, err)
			}
		}
	}
	// An empty candidate is an invalid key, not a missing argument.
	if _, err := DecryptStepsWithKeys([]string{s.SessionKey, ""}, s.IV, s.EncryptedData, Options{AppID: *s.AppID}); err != StatusSessionKeyInvalid {
		t.Fatalf("empty candidate: %v", err)
	}
}

func TestDecryptStepsWithKeysCapacity(t *testing.T) {
	s := sample(t)
	keys := []string{staleKeys[0], s.SessionKey}
	buf := make([]Step, 30)
	if _, err := DecryptStepsWithKeysInto(buf, keys, s.IV, s.EncryptedData, Options{AppID: *s.AppID}); err != StatusCapacityExceeded {
		t.Fatalf("got %v", err)
	}
	for i, st := range buf {
		if st != (Step{}) {
			t.Fatalf("buf[%d] = %v not zeroed", i, st)
		}
	}
	data, err := DecryptStepsWithKeysInto(make([]Step, 31), keys, s.IV, s.EncryptedData, Options{AppID: *s.AppID})
	if err != nil || len(data.Steps) != 31 || data.KeyIndex != 1 {
		t.Fatalf("31 entries: %d, %d, %v", len(data.Steps), data.KeyIndex, err)
	}
}

// Inputs longer than the pooled scratch get a buffer of their own, sized for two copies.
func TestDecryptStepsWithKeysLongInput(t *testing.T) {
	s := sample(t)
	long := strings.Repeat("\r\n", pooledInputMax) + s.EncryptedData
	data, err := DecryptStepsWithKeys([]string{staleKeys[0], s.SessionKey}, s.IV, long, Options{AppID: *s.AppID})
	if err != nil || data.KeyIndex != 1 || len(data.Steps) != 31 {
		t.Fatalf("got %d steps, index %d, %v", len(data.Steps), data.KeyIndex, err)
	}
	if got, single := scratchLenWithKeys(len(long)), scratchLen(len(long)); got != 2*single {
		t.Fatalf("werun_scratch_len_with_keys %d, werun_scratch_len %d", got, single)
	}
}

func TestDecryptStepsKeyIndexIsZero(t *testing.T) {
	s := sample(t)
	data, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, Options{AppID: *s.AppID})
	if err != nil || data.KeyIndex != 0 {
		t.Fatalf("index %d, %v", data.KeyIndex, err)
	}
}

// Many goroutines with the right key at different positions each get their own index.
func TestConcurrentCallsWithKeys(t *testing.T) {
	vectors := loadKeysVectors(t)
	type result struct {
		Data Data
		Err  error
	}
	expected := make([]result, len(vectors))
	for i := range vectors {
		v := &vectors[i]
		expected[i].Data, expected[i].Err = DecryptStepsWithKeys(v.SessionKeys, v.IV, v.EncryptedData, Options{AppID: v.AppID})
	}
	workers := 4 * runtime.GOMAXPROCS(0)
	rounds := 20
	if testing.Short() {
		rounds = 3
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				for i := range vectors {
					k := (i + w) % len(vectors)
					v := &vectors[k]
					var got result
					got.Data, got.Err = DecryptStepsWithKeys(v.SessionKeys, v.IV, v.EncryptedData, Options{AppID: v.AppID})
					if !reflect.DeepEqual(got, expected[k]) {
						t.Errorf("%s: concurrent %+v, single-threaded %+v", v.ID, got, expected[k])
						return
					}
				}
			}
		}(w)
	}
	wg.Wait()
}

// DecryptStepsWithKeysInto allocates nothing, DecryptStepsWithKeys only its Steps.
func TestAllocationsWithKeys(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	s := sample(t)
	opts := Options{AppID: *s.AppID}
	keys := []string{staleKeys[0], s.SessionKey}
	buf := make([]Step, DefaultCapacity)
	if n := testing.AllocsPerRun(100, func() {
		if _, err := DecryptStepsWithKeysInto(buf, keys, s.IV, s.EncryptedData, opts); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("DecryptStepsWithKeysInto: %v allocations per call", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		if _, err := DecryptStepsWithKeys(keys, s.IV, s.EncryptedData, opts); err != nil {
			t.Fatal(err)
		}
	}); n != 1 {
		t.Errorf("DecryptStepsWithKeys: %v allocations per call, want 1", n)
	}
}

// What WeChat's WXBizDataCrypt sample returns for each status's input (werun_status_wx_code in
// include/werun.h).
var wxCodes = map[string]int32{
	"OK": 0, "NULL_ARGUMENT": -41003, "SESSION_KEY_INVALID": -41001, "IV_INVALID": -41002,
	"ENCRYPTED_DATA_INVALID": -41004, "CIPHERTEXT_LENGTH": -41003, "BUFFER_TOO_SMALL": -41003,
	"DECRYPT_FAILED": -41003, "APPID_MISMATCH": -41003, "WATERMARK_EXPIRED": -41003,
	"CAPACITY_EXCEEDED": -41003, "INTERNAL": -41003, "INVALID_ARGUMENT": -41003,
}

func TestWXCodeOfEveryStatus(t *testing.T) {
	if len(wxCodes) != len(statusByName) {
		t.Fatalf("%d wx codes for %d statuses", len(wxCodes), len(statusByName))
	}
	for name, err := range statusByName {
		want, ok := wxCodes[name]
		if !ok {
			t.Fatalf("no wx code for %s", name)
		}
		if got := WXCode(err); got != want {
			t.Errorf("WXCode(%s) = %d, want %d", name, got, want)
		}
		var s Status
		if err != nil {
			s = err.(Status)
		}
		if got := s.WXCode(); got != want {
			t.Errorf("%s.WXCode() = %d, want %d", name, got, want)
		}
	}
	for _, unknown := range []Status{13, 1000, 1 << 31, 1<<32 - 1} {
		if got := unknown.WXCode(); got != WXIllegalBuffer {
			t.Errorf("Status(%d).WXCode() = %d", unknown, got)
		}
	}
	named := map[int32]int32{WXOK: 0, WXIllegalAESKey: -41001, WXIllegalIV: -41002, WXIllegalBuffer: -41003, WXDecodeBase64Error: -41004}
	for got, want := range named {
		if got != want {
			t.Errorf("constant %d, want %d", got, want)
		}
	}
}

func TestWXCodeOfReturnedErrors(t *testing.T) {
	s := sample(t)
	opts := Options{AppID: *s.AppID}
	cases := []struct {
		key, iv, data string
		want          int32
	}{
		{s.SessionKey, s.IV, s.EncryptedData, WXOK},
		{"AAAA", s.IV, s.EncryptedData, WXIllegalAESKey},
		{s.SessionKey, "AAAA", s.EncryptedData, WXIllegalIV},
		{s.SessionKey, s.IV, "*" + s.EncryptedData, WXDecodeBase64Error},
		{s.SessionKey, s.IV, s.EncryptedData[:len(s.EncryptedData)-4], WXIllegalBuffer},
		{staleKeys[0], s.IV, s.EncryptedData, WXIllegalBuffer},
	}
	for _, c := range cases {
		_, err := DecryptSteps(c.key, c.iv, c.data, opts)
		if got := WXCode(err); got != c.want {
			t.Errorf("WXCode(%v) = %d, want %d", err, got, c.want)
		}
		if got := WXCode(wrapErr(err)); err != nil && got != c.want {
			t.Errorf("WXCode(wrapped %v) = %d, want %d", err, got, c.want)
		}
	}
	if got := WXCode(errors.New("not from werun")); got != WXIllegalBuffer {
		t.Errorf("WXCode(other error) = %d", got)
	}
}

// BenchmarkDecryptStepsWithKeys is the cost of a second candidate: the 31-entry sample with one
// key against two (the right one second), and a failed call with one wrong key against two.
//
//	go test -run '^$' -bench WithKeys -benchmem -count 5
func BenchmarkDecryptStepsWithKeys(b *testing.B) {
	s := sample(b)
	opts := Options{AppID: *s.AppID}
	buf := make([]Step, DefaultCapacity)
	cases := []struct {
		name string
		keys []string
		want error
	}{
		{"one-key", []string{s.SessionKey}, nil},
		{"two-keys-second-right", []string{staleKeys[0], s.SessionKey}, nil},
		{"one-key-failed", []string{staleKeys[0]}, StatusDecryptFailed},
		{"two-keys-failed", []string{staleKeys[0], staleKeys[1]}, StatusDecryptFailed},
	}
	b.Run("DecryptStepsInto-failed", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := DecryptStepsInto(buf, staleKeys[0], s.IV, s.EncryptedData, opts); err != StatusDecryptFailed {
				b.Fatal(err)
			}
		}
	})
	for _, c := range cases {
		c := c
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := DecryptStepsWithKeysInto(buf, c.keys, s.IV, s.EncryptedData, opts); err != c.want {
					b.Fatal(err)
				}
			}
		})
	}
}
