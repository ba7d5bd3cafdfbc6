package werun

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// The checkout's header (WERUN_TEST_HEADER: another copy, to see these tests fail on an
// addition). The package itself is built against the installed copy (pkg-config).
func headerText(t *testing.T) string {
	path := os.Getenv("WERUN_TEST_HEADER")
	if path == "" {
		path = filepath.Join("..", "..", "include", "werun.h")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the header: %v", err)
	}
	return string(raw)
}

func headerValues(t *testing.T, re string) map[string]uint32 {
	found := map[string]uint32{}
	for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(headerText(t), -1) {
		v, err := strconv.ParseUint(m[2], 10, 32)
		if err != nil {
			t.Fatalf("%s: %v", m[1], err)
		}
		found[m[1]] = uint32(v)
	}
	if len(found) == 0 {
		t.Fatalf("no match for %s in the header", re)
	}
	return found
}

// Every werun_status of the header is a Status here with the same value, and no other.
func TestStatusesEqualTheHeader(t *testing.T) {
	header := headerValues(t, `(?m)^\s*WERUN_STATUS_(\w+) = (\d+),`)
	for name, value := range header {
		err, ok := statusByName[name]
		if !ok {
			t.Errorf("WERUN_STATUS_%s (%d) in the header has no Go Status", name, value)
		} else if err != nil && uint32(err.(Status)) != value {
			t.Errorf("WERUN_STATUS_%s: Go %d, header %d", name, uint32(err.(Status)), value)
		} else if err != nil && err.Error() == "" {
			t.Errorf("WERUN_STATUS_%s: no message", name)
		}
	}
	if len(statusByName) != len(header) {
		t.Errorf("%d Go statuses, %d in the header", len(statusByName), len(header))
	}
	if int(header["INVALID_ARGUMENT"])+1 != len(messages) || len(messages) != len(header) {
		t.Errorf("the message table holds %d statuses, the header %d", len(messages), len(header))
	}
}

// Every WERUN_DIAGNOSIS_ of the header is a Diagnosis here with the same value, and no other.
func TestDiagnosesEqualTheHeader(t *testing.T) {
	header := headerValues(t, `(?m)^#define WERUN_DIAGNOSIS_(\w+) (\d+)\s*$`)
	for name, value := range header {
		d, ok := diagnosisByName[name]
		if !ok {
			t.Errorf("WERUN_DIAGNOSIS_%s (%d) in the header has no Go Diagnosis", name, value)
		} else if uint32(d) != value {
			t.Errorf("WERUN_DIAGNOSIS_%s: Go %d, header %d", name, uint32(d), value)
		}
	}
	if len(diagnosisByName) != len(header) || len(diagnosisMessages) != len(header) {
		t.Errorf("%d Go diagnoses (%d messages), %d in the header", len(diagnosisByName),
			len(diagnosisMessages), len(header))
	}
}

// The header's WERUN_OPTION_ flags are the ones this package knows, with the same values.
func TestOptionFlagsEqualTheHeader(t *testing.T) {
	header := headerValues(t, `(?m)^#define WERUN_OPTION_(\w+) (\d+)\s*$`)
	for name, value := range header {
		if got, ok := optionFlags[name]; !ok {
			t.Errorf("WERUN_OPTION_%s (%d) in the header is not a flag this package knows", name, value)
		} else if got != value {
			t.Errorf("WERUN_OPTION_%s: Go %d, header %d", name, got, value)
		}
	}
	if len(optionFlags) != len(header) {
		t.Errorf("%d Go option flags, %d in the header", len(optionFlags), len(header))
	}
}
