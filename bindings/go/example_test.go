package werun_test

import (
	"errors"
	"fmt"
	"log"

	werun "github.com/werun-dev/werun/bindings/go"
)

func ExampleDecryptSteps() {
	// The three strings exactly as the backend received them (the "entries-1" test vector).
	sessionKey := "8gezx7GzWo8NuM6UcoNuGQ=="
	iv := "n52NClYRBBIWTqAxFp1oXw=="
	encryptedData := "YjfpRMRCa+Ym3GpvlQisOyLkR0adJysfyBklFyLIivNdPIoemEi7hFr6dd8FiGGgfX5yDmorVotRBKvJ4tauI1841ZTI8LCRRAVbeg+tW/xOKPwW7zOGNkymPn1REL5QrMR9UqNaUlZvZ7NfnQKppkvjo9vEwaKOEm4nE+DzVjI="

	data, err := werun.DecryptSteps(sessionKey, iv, encryptedData, werun.Options{AppID: "wx4f4bc4dec97d474b"})
	if errors.Is(err, werun.StatusDecryptFailed) {
		// Log werun.Diagnose(...) for yourself; tell the client only to log in again.
		log.Print("stale session_key?")
		return
	} else if err != nil {
		log.Print(err)
		return
	}
	for _, day := range data.Steps {
		fmt.Println(day.Timestamp, day.Step)
	}
	fmt.Println("watermark", data.WatermarkTimestamp)
	// Output:
	// 1717171200 21014
	// watermark 1717201234
}

func ExampleStatus() {
	_, err := werun.DecryptSteps("not base64!", "", "", werun.Options{AppID: "wx4f4bc4dec97d474b"})
	var status werun.Status
	if errors.As(err, &status) {
		fmt.Println(uint32(status), status == werun.StatusSessionKeyInvalid)
	}
	// Output: 2 true
}
