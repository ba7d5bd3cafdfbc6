//go:build !race

package werun

const raceEnabled = false
