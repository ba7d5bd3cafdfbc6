package werun_test

import (
	"errors"
	"fmt"
	"log"

	werun "github.com/werun-dev/werun/bindings/go"
)

func ExampleDecryptStepsWithKeys() {
	// The session_key stored at the last code2Session, and the one before it (kept for a
	// minute or so after a new wx.login): the data may be encrypted under either.
	currentKey := "i0vns4pveFuOIEpP3pxrbQ=="
	previousKey := "8gezx7GzWo8NuM6UcoNuGQ=="
	iv := "n52NClYRBBIWTqAxFp1oXw=="
	encryptedData := "YjfpRMRCa+Ym3GpvlQisOyLkR0adJysfyBklFyLIivNdPIoemEi7hFr6dd8FiGGgfX5yDmorVotRBKvJ4tauI1841ZTI8LCRRAVbeg+tW/xOKPwW7zOGNkymPn1REL5QrMR9UqNaUlZvZ7NfnQKppkvjo9vEwaKOEm4nE+DzVjI="

	data, err := werun.DecryptStepsWithKeys([]string{currentKey, previousKey}, iv, encryptedData,
		werun.Options{AppID: "wx4f4bc4dec97d474b"})
	if errors.Is(err, werun.StatusDecryptFailed) {
		log.Print("no candidate key decrypts the data: ask the user to log in again")
		return
	} else if err != nil {
		log.Print(err)
		return
	}
	fmt.Println("key", data.KeyIndex, "worked:", len(data.Steps), "day(s), last", data.Steps[len(data.Steps)-1].Step)
	// Output: key 1 worked: 1 day(s), last 21014
}

func ExampleWXCode() {
	// A backend replacing WeChat's WXBizDataCrypt sample answers with the sample's codes.
	_, err := werun.DecryptSteps("AAAAAAAAAAAAAAAAAAAAAA==", "n52NClYRBBIWTqAxFp1oXw==",
		"YjfpRMRCa+Ym3GpvlQisOyLkR0adJysfyBklFyLIivNdPIoemEi7hFr6dd8FiGGgfX5yDmorVotRBKvJ4tauI1841ZTI8LCRRAVbeg+tW/xOKPwW7zOGNkymPn1REL5QrMR9UqNaUlZvZ7NfnQKppkvjo9vEwaKOEm4nE+DzVjI=",
		werun.Options{AppID: "wx4f4bc4dec97d474b"})
	fmt.Println(werun.WXCode(err), werun.WXCode(nil))
	fmt.Println(werun.StatusSessionKeyInvalid.WXCode(), werun.StatusIVInvalid.WXCode(), werun.StatusEncryptedDataInvalid.WXCode())
	// Output:
	// -41003 0
	// -41001 -41002 -41004
}
