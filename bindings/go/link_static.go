//go:build werun_static

package werun

// The static library, libwerun.a, found with pkg-config (module werun-static: -Bstatic for
// -lwerun, and the system libraries a Rust static library needs). Selected by -tags
// werun_static; see link_shared.go.

// #cgo pkg-config: werun-static
import "C"
