// A Go program that uses the werun package as users get it, from the module cache (built by
// tests/release/go-module.sh). Arguments: the WeRun sample (session_key, iv, appid,
// encryptedData) and WeChat's official open-data demo (the same four). It prints the sample's
// steps, one "timestamp steps" line per day, then checks that the demo decrypts through
// OpenData and that a wrong appid is StatusAppIDMismatch; any failure exits non-zero.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	werun "github.com/werun-dev/werun/bindings/go"
)

func main() {
	if len(os.Args) != 9 {
		fmt.Fprintln(os.Stderr, "usage: consumer KEY IV APPID DATA DEMO_KEY DEMO_IV DEMO_APPID DEMO_DATA")
		os.Exit(64)
	}
	a := os.Args[1:]

	data, err := werun.DecryptSteps(a[0], a[1], a[3], werun.Options{AppID: a[2]})
	if err != nil {
		fail("sample: %v", err)
	}
	for _, day := range data.Steps {
		fmt.Println(day.Timestamp, day.Step)
	}
	if len(data.Steps) != 31 || !data.HasWatermark {
		fail("sample: %d entries, watermark %v", len(data.Steps), data.HasWatermark)
	}

	demo, err := werun.OpenData(a[4], a[5], a[7], werun.Options{AppID: a[6]})
	if err != nil {
		fail("official demo through OpenData: %v", err)
	}
	var user struct {
		NickName string `json:"nickName"`
	}
	if err := json.Unmarshal([]byte(demo.JSON), &user); err != nil || user.NickName == "" {
		fail("official demo: not the expected JSON (%v): %s", err, demo.JSON)
	}

	_, err = werun.DecryptSteps(a[0], a[1], a[3], werun.Options{AppID: "wx0000000000000000"})
	var status werun.Status
	if !errors.Is(err, werun.StatusAppIDMismatch) || !errors.As(err, &status) || uint32(status) != 8 {
		fail("wrong appid: %v, want StatusAppIDMismatch (8)", err)
	}
	fmt.Fprintf(os.Stderr, "werun %s: sample %d entries; demo user %q; wrong appid: %v\n",
		werun.Version(), len(data.Steps), user.NickName, err)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "consumer: "+format+"\n", args...)
	os.Exit(1)
}
