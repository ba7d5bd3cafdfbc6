package werun

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// stdlibPayload is the WeRun JSON as a Go program reads it with encoding/json.
type stdlibPayload struct {
	StepInfoList []Step `json:"stepInfoList"`
	Watermark    *struct {
		Timestamp int64  `json:"timestamp"`
		AppID     string `json:"appid"`
	} `json:"watermark"`
}

var errStdlib = errors.New("stdlib: decryption failed")

// stdlibDecryptSteps is the conventional Go port of WXBizDataCrypt: encoding/base64,
// crypto/aes in CBC mode, PKCS#7 unpadding and encoding/json into structs, with the appid
// checked. (Step's fields decode from "timestamp" and "step" by encoding/json's
// case-insensitive matching.) It is the baseline of the benchmark.
func stdlibDecryptSteps(sessionKey, iv, encryptedData, appID string) (Data, error) {
	key, err := base64.StdEncoding.DecodeString(sessionKey)
	if err != nil || len(key) != 16 {
		return Data{}, errStdlib
	}
	ivBytes, err := base64.StdEncoding.DecodeString(iv)
	if err != nil || len(ivBytes) != 16 {
		return Data{}, errStdlib
	}
	ciphertext, err := base64.StdEncoding.DecodeString(encryptedData)
	if err != nil || len(ciphertext) == 0 || len(ciphertext)%aes.BlockSize != 0 {
		return Data{}, errStdlib
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return Data{}, err
	}
	cipher.NewCBCDecrypter(block, ivBytes).CryptBlocks(ciphertext, ciphertext)
	pad := int(ciphertext[len(ciphertext)-1])
	if pad == 0 || pad > aes.BlockSize || subtle.ConstantTimeCompare(
		ciphertext[len(ciphertext)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) != 1 {
		return Data{}, errStdlib
	}
	var p stdlibPayload
	if err := json.Unmarshal(ciphertext[:len(ciphertext)-pad], &p); err != nil {
		return Data{}, errStdlib
	}
	if p.Watermark == nil || p.Watermark.AppID != appID {
		return Data{}, errStdlib
	}
	return Data{Steps: p.StepInfoList, WatermarkTimestamp: p.Watermark.Timestamp, HasWatermark: true}, nil
}

// The baseline decrypts the sample to the same result, so the benchmark compares like with
// like.
func TestStdlibBaselineAgrees(t *testing.T) {
	s := sample(t)
	want, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, Options{AppID: *s.AppID})
	if err != nil {
		t.Fatal(err)
	}
	got, err := stdlibDecryptSteps(s.SessionKey, s.IV, s.EncryptedData, *s.AppID)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("stdlib %+v, %v; werun %+v", got, err, want)
	}
}

// BenchmarkDecryptSteps decrypts the 31-entry sample per op: werun (DecryptSteps, which
// allocates its result; DecryptStepsInto, which allocates nothing) against the stdlib path.
//
//	go test -run '^$' -bench DecryptSteps -benchmem -count 5
func BenchmarkDecryptSteps(b *testing.B) {
	s := sample(b)
	opts := Options{AppID: *s.AppID}
	b.Run("werun", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("werun-into", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]Step, DefaultCapacity)
		for i := 0; i < b.N; i++ {
			if _, err := DecryptStepsInto(buf, s.SessionKey, s.IV, s.EncryptedData, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stdlib", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := stdlibDecryptSteps(s.SessionKey, s.IV, s.EncryptedData, *s.AppID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecryptStepsParallel is the werun call from every core at once (a busy backend).
func BenchmarkDecryptStepsParallel(b *testing.B) {
	s := sample(b)
	opts := Options{AppID: *s.AppID}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := DecryptSteps(s.SessionKey, s.IV, s.EncryptedData, opts); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkCallOverhead is the binding's own cost: a call that the library refuses at once
// (an empty session_key), so nearly all of it is cgo, the pool and the options.
func BenchmarkCallOverhead(b *testing.B) {
	s := sample(b)
	opts := Options{AppID: *s.AppID}
	buf := make([]Step, DefaultCapacity)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := DecryptStepsInto(buf, "", s.IV, s.EncryptedData, opts); err != StatusSessionKeyInvalid {
			b.Fatal(err)
		}
	}
}
