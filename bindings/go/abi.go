package werun

// #include <werun.h>
import "C"

// optionFlags: the WERUN_OPTION_* flags this package knows (Options sets them). The tests
// compare this table, statusByName and diagnosisByName with include/werun.h, so that a flag,
// status or diagnosis added to the header fails `make test-go` until the package knows it.
var optionFlags = map[string]uint32{
	"SKIP_APPID_CHECK": C.WERUN_OPTION_SKIP_APPID_CHECK,
	"STRICT_BASE64":    C.WERUN_OPTION_STRICT_BASE64,
	"CHECK_FRESHNESS":  C.WERUN_OPTION_CHECK_FRESHNESS,
}
