// Command soak is the soak and stress run of the Go binding (bindings/go, through this module's
// replace directive), run by tests/soak/run.sh against an installed libwerun (pkg-config), as
// bindings/go/run-tests.sh does. The same modes, payloads and output as tests/soak/soak.c:
//
//	soak VECTORS MIX soak CALLS
//	soak VECTORS MIX stress THREADS CALLS   (THREADS goroutines, GOMAXPROCS=THREADS)
//
// werun.DecryptSteps for the default capacity (its result allocated per call, as users call
// it), werun.DecryptStepsInto with a buffer of the vector's capacity otherwise.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	werun "github.com/werun-dev/werun/bindings/go"
)

// growthLimitKiB is the most VmRSS may grow from the end of the warm-up (call CALLS/10) to
// the last call.
const growthLimitKiB = 1024

type vector struct {
	ID            string  `json:"id"`
	API           string  `json:"api"`
	SessionKey    string  `json:"session_key"`
	IV            string  `json:"iv"`
	EncryptedData string  `json:"encrypted_data"`
	AppID         *string `json:"appid"`
	StrictBase64  bool    `json:"strict_base64"`
	Capacity      int     `json:"capacity"`
	ScratchLen    *int    `json:"scratch_len"`
	Expect        struct {
		Status             string     `json:"status"`
		Steps              [][2]int64 `json:"steps"`
		WatermarkTimestamp *int64     `json:"watermark_timestamp"`
	} `json:"expect"`
}

// outcome is what a caller sees of one call: the status code (0 for success), the steps and
// the watermark.
type outcome struct {
	status       uint32
	steps        []werun.Step
	hasWatermark bool
	watermark    int64
}

func (a outcome) equal(b outcome) bool {
	if a.status != b.status || len(a.steps) != len(b.steps) || a.hasWatermark != b.hasWatermark ||
		a.watermark != b.watermark {
		return false
	}
	for i := range a.steps {
		if a.steps[i] != b.steps[i] {
			return false
		}
	}
	return true
}

type payload struct {
	v    vector
	opts werun.Options
	want outcome // from the vector file
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}

func loadMix(vectorsPath, mixPath string) []payload {
	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		fail("%v", err)
	}
	var file struct {
		Statuses []struct {
			Code uint32 `json:"code"`
			Name string `json:"name"`
		} `json:"statuses"`
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		fail("%s: %v", vectorsPath, err)
	}
	codes := map[string]uint32{}
	for _, s := range file.Statuses {
		codes[s.Name] = s.Code
	}
	byID := map[string]vector{}
	for _, v := range file.Vectors {
		byID[v.ID] = v
	}
	f, err := os.Open(mixPath)
	if err != nil {
		fail("%v", err)
	}
	defer f.Close()
	var mix []payload
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		fields := strings.Fields(lines.Text())
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		v, ok := byID[fields[1]]
		code, known := codes[v.Expect.Status]
		if !ok || !known || v.API != "steps" || v.ScratchLen != nil {
			fail("%s: %s: not a steps vector with an ample scratch", mixPath, fields[1])
		}
		p := payload{v: v, want: outcome{status: code}}
		if v.AppID == nil {
			p.opts.SkipAppIDCheck = true
		} else {
			p.opts.AppID = *v.AppID
		}
		p.opts.StrictBase64 = v.StrictBase64
		if code == 0 {
			p.want.steps = []werun.Step{}
			for _, s := range v.Expect.Steps {
				p.want.steps = append(p.want.steps, werun.Step{Timestamp: s[0], Step: uint32(s[1])})
			}
			if v.Expect.WatermarkTimestamp != nil {
				p.want.hasWatermark, p.want.watermark = true, *v.Expect.WatermarkTimestamp
			}
		}
		mix = append(mix, p)
	}
	if err := lines.Err(); err != nil {
		fail("%s: %v", mixPath, err)
	}
	if len(mix) == 0 {
		fail("%s: no payloads", mixPath)
	}
	return mix
}

// decrypt calls the binding; buf is the caller's buffer for a capacity other than the default.
func decrypt(p *payload, buf []werun.Step) outcome {
	var data werun.Data
	var err error
	if p.v.Capacity == werun.DefaultCapacity {
		data, err = werun.DecryptSteps(p.v.SessionKey, p.v.IV, p.v.EncryptedData, p.opts)
	} else {
		data, err = werun.DecryptStepsInto(buf[:p.v.Capacity], p.v.SessionKey, p.v.IV, p.v.EncryptedData, p.opts)
	}
	if err != nil {
		var s werun.Status
		if !errors.As(err, &s) {
			fail("%s: an error that is not a Status: %v", p.v.ID, err)
		}
		return outcome{status: uint32(s)}
	}
	return outcome{steps: data.Steps, hasWatermark: data.HasWatermark, watermark: data.WatermarkTimestamp}
}

// rssKiB is VmRSS after a collection that also returns the freed memory to the OS
// (debug.FreeOSMemory: runtime.GC, then the scavenger at once rather than in the background).
func rssKiB() int64 {
	debug.FreeOSMemory()
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		fail("%v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "VmRSS:" {
			kib, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil {
				return kib
			}
		}
	}
	fail("no VmRSS in /proc/self/status")
	return 0
}

func soak(mix []payload, calls int) bool {
	warmup, every, wrong := calls/10, calls/20, 0
	if every < 1 {
		every = 1
	}
	var rssWarm, rssMax int64
	buf := make([]werun.Step, werun.DefaultCapacity)
	start := time.Now()
	for i := 0; i < calls; i++ {
		p := &mix[i%len(mix)]
		got := decrypt(p, buf)
		if !got.equal(p.want) {
			wrong++
			if wrong <= 10 {
				fmt.Fprintf(os.Stderr, "call %d (%s): status %d, %d steps; expected status %d, %d steps\n",
					i, p.v.ID, got.status, len(got.steps), p.want.status, len(p.want.steps))
			}
		}
		if (i+1)%every == 0 || i+1 == warmup {
			rss := rssKiB()
			if i+1 == warmup {
				rssWarm = rss
			}
			if rss > rssMax {
				rssMax = rss
			}
		}
	}
	seconds := time.Since(start).Seconds()
	rssEnd := rssKiB()
	growth := rssEnd - rssWarm
	fmt.Printf("soak binding=go calls=%d seconds=%.2f rss_warmup_kib=%d rss_end_kib=%d growth_kib=%d rss_max_kib=%d wrong=%d\n",
		calls, seconds, rssWarm, rssEnd, growth, rssMax, wrong)
	if growth > growthLimitKiB {
		fmt.Fprintf(os.Stderr, "soak go: RSS grew by %d KiB after the warm-up (limit %d KiB)\n", growth, growthLimitKiB)
	}
	return wrong == 0 && growth <= growthLimitKiB
}

func stress(mix []payload, threads, calls int) bool {
	ok := true
	single := make([]outcome, len(mix))
	for j := range mix {
		single[j] = decrypt(&mix[j], make([]werun.Step, werun.DefaultCapacity))
		if !single[j].equal(mix[j].want) {
			fmt.Fprintf(os.Stderr, "%s: the single-threaded result is not the vector file's\n", mix[j].v.ID)
			ok = false
		}
	}
	runtime.GOMAXPROCS(threads)
	var ready, done sync.WaitGroup
	startLine := make(chan struct{})
	wrong := make([]int, threads)
	for k := 0; k < threads; k++ {
		ready.Add(1)
		done.Add(1)
		go func(k int) {
			defer done.Done()
			offset := k * len(mix) / threads // goroutines on different payloads
			buf := make([]werun.Step, werun.DefaultCapacity)
			ready.Done()
			<-startLine
			for i := 0; i < calls; i++ {
				j := (i + offset) % len(mix)
				if !decrypt(&mix[j], buf).equal(single[j]) {
					wrong[k]++
					if wrong[k] <= 10 {
						fmt.Fprintf(os.Stderr, "goroutine %d, call %d (%s): not the single-threaded result\n", k, i, mix[j].v.ID)
					}
				}
			}
		}(k)
	}
	ready.Wait()
	start := time.Now()
	close(startLine)
	done.Wait()
	seconds := time.Since(start).Seconds()
	totalWrong := 0
	for _, w := range wrong {
		totalWrong += w
	}
	total := calls * threads
	fmt.Printf("stress binding=go threads=%d calls=%d seconds=%.2f calls_per_second=%.0f wrong=%d\n",
		threads, total, seconds, float64(total)/seconds, totalWrong)
	return ok && totalWrong == 0
}

func main() {
	args := os.Args
	var ok bool
	switch {
	case len(args) == 5 && args[3] == "soak":
		calls, err := strconv.Atoi(args[4])
		if err != nil {
			fail("calls: %v", err)
		}
		ok = soak(loadMix(args[1], args[2]), calls)
	case len(args) == 6 && args[3] == "stress":
		threads, err1 := strconv.Atoi(args[4])
		calls, err2 := strconv.Atoi(args[5])
		if err1 != nil || err2 != nil || threads < 1 {
			fail("threads and calls: positive integers")
		}
		ok = stress(loadMix(args[1], args[2]), threads, calls)
	default:
		fail("usage: %s VECTORS MIX soak CALLS | %s VECTORS MIX stress THREADS CALLS", args[0], args[0])
	}
	if !ok {
		os.Exit(1)
	}
}
