//go:build !werun_static

package werun

// The shared library, libwerun.so, found with pkg-config (module werun). The link flags are in
// a file of their own, selected by the build tag, so that Go's build cache tells the two links
// apart (a tag that only chose between #cgo lines of one file would not change its cache key).

// #cgo pkg-config: werun
import "C"
